/**
 * Comparing two server configurations fairly on a shared, busy machine (bench:api's
 * "PATCH with history on vs off", issue 11): the two are timed in interleaved pairs, so a
 * burst of other work lands on both alike, and the pair's order alternates, so neither
 * side always runs first (a warm cache, the other's WAL checkpoint…).
 */

/** Which side of pair `i` runs first: `a` on even samples, `b` on odd ones. */
export function pairOrder<T>(i: number, a: T, b: T): [T, T] {
  return i % 2 === 0 ? [a, b] : [b, a];
}

/** A percentile figure of one side, in ms. */
export interface P95 {
  p95: number;
}

export interface RatioVerdict {
  /** `on.p95 / off.p95`, rounded to 2 decimals. */
  ratio: number;
  budget: number;
  /** Whether the ratio (unrounded) is at most the budget; null when `off.p95` is not positive. */
  ok: boolean | null;
}

/**
 * The p95 of `on` as a multiple of the p95 of `off`, against `budget` (issue 11: PATCH
 * p95 with history on ≤ 1.3× without). A non-positive or non-finite `off` p95 cannot be
 * divided by: the ratio is NaN and the verdict null, never a false "within".
 */
export function p95Ratio(on: P95, off: P95, budget: number): RatioVerdict {
  if (!(off.p95 > 0) || !Number.isFinite(off.p95) || !Number.isFinite(on.p95)) return { ratio: Number.NaN, budget, ok: null };
  const exact = on.p95 / off.p95;
  return { ratio: Math.round(exact * 100) / 100, budget, ok: exact <= budget };
}
