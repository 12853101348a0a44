/**
 * Exact comparison of JSON numbers by their text: `750727362669608961` and
 * `750727362669608960` differ, `1.10`, `1.1` and `11e-1` are equal, `1e400` is larger than
 * any double. Doubles would round all of these (issue 8).
 */
import { compareLosslessNumber, LosslessNumber } from 'lossless-json';

/** -1, 0 or 1 as the number written `a` is less than, equal to or greater than `b`. */
export function compareJsonNumbers(a: string, b: string): -1 | 0 | 1 {
  const order = compareLosslessNumber(new LosslessNumber(a), new LosslessNumber(b));
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}
