/** The traffic simulator (simulator/README.md): `startSimulator({ sandboxUrl, … }) → { stop() }`; npm start's demo wiring: `startDemoTraffic`. */
export { demoEffect, startDemoTraffic, type DemoTrafficOptions } from './demo.js';
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.js';
