/**
 * The bootstrap's deterministic PRNG: mulberry32 (the generator the simulator
 * and the test histories use; analytics/ imports only core/, so it has its own
 * copy). Same seed → same stream → the same interval on every request.
 */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint(seed);
  return () => next() / 4294967296;
}

/** The same stream as unsigned 32-bit integers (the bootstrap compares them with integer CDF thresholds). */
export function mulberry32Uint(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
