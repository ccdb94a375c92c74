/**
 * Assignment, GrowthBook-compatible: hash version 2 with the experiment key as
 * seed and the customer's Telegram user id as the hash attribute; variants by
 * cumulative weights with coverage = 1 − holdout (GrowthBook's getBucketRanges
 * and chooseVariation). A team can later run the same experiment from
 * GrowthBook (key as tracking key, `id` = Telegram user id, hashVersion 2,
 * coverage, weights normalised) and every customer keeps their variant.
 * Pure: the same inputs give the same variant in every process, forever.
 */
import type { ExperimentDefinition } from './definition.js';

/** FNV-1a 32-bit over UTF-16 code units, as GrowthBook's `hashFnv32a`. */
function fnv1a32(str: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** GrowthBook's hash version 2, in [0, 1) with 4 decimals. */
export function gbHashV2(seed: string, value: string): number | null {
  return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
}

/** GrowthBook's getBucketRanges: weights normalised to sum 1, each range [start, start + coverage·w). */
export function bucketRanges(weights: readonly number[], coverage: number): [number, number][] {
  const c = Math.min(1, Math.max(0, coverage));
  const total = weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  return weights.map((w) => {
    const share = w / total;
    const start = cumulative;
    cumulative += share;
    return [start, start + c * share];
  });
}

/** GrowthBook's chooseVariation: the index whose range holds n, or −1. */
export function chooseVariation(n: number, ranges: readonly (readonly [number, number])[]): number {
  for (let i = 0; i < ranges.length; i++) if (n >= ranges[i]![0] && n < ranges[i]![1]) return i;
  return -1;
}

/** The customer's variant, or null when the hash falls in the holdout (or outside every range). */
export function assignVariant(def: ExperimentDefinition, userId: number | string): { variant: string; index: number } | null {
  const n = gbHashV2(def.key, String(userId));
  if (n === null) return null;
  const index = chooseVariation(
    n,
    bucketRanges(
      def.variants.map((v) => v.weight),
      1 - (def.holdout ?? 0),
    ),
  );
  if (index < 0) return null;
  return { variant: def.variants[index]!.name, index };
}
