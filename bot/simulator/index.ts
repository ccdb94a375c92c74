/** The traffic simulator (bot/simulator/README in simulator.ts): `startSimulator({ sandboxUrl, … }) → { stop() }`. */
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.js';
