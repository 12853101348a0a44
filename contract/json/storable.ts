/**
 * What PostgreSQL cannot hold in a context, so that both stores refuse it alike at the
 * door (request bodies, `where` literals): U+0000 and unpaired surrogates in strings, and
 * numbers beyond its numeric type. Both are valid JSON grammar, but one such context cast
 * to jsonb makes every `where` search on PostgreSQL fail. Imports nothing (the dashboard's
 * first-load bundle uses contract/search/condition.ts, which uses this).
 */

/** U+0000, or a surrogate that is not half of a pair. */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when a decoded string holds U+0000 or an unpaired surrogate (see storableStrings). */
export function hasUnstorableCharacter(value: string): boolean {
  return UNSTORABLE.test(value);
}

/** PostgreSQL's numeric (which jsonb numbers are): digits before the point, after it. */
export const NUMERIC_MAX_INTEGER_DIGITS = 131072;
export const NUMERIC_MAX_SCALE = 16383;

/**
 * True when a JSON number's text is beyond PostgreSQL's numeric: more than 131,072 digits
 * before the decimal point or 16,383 after it once the exponent is applied (trailing zeros
 * count, as PostgreSQL counts them: `1.5e-16383` and `0e-20000` are out, `1e131071` and
 * `1e400` in). Such a number cannot be cast to jsonb, so one in a stored context would
 * make every `where` search on PostgreSQL fail (PostgreSQL docs, "Arbitrary Precision
 * Numbers"; measured on PostgreSQL 17).
 */
export function numberOutOfNumericRange(text: string): boolean {
  // Fast path for the numbers contexts hold: without an exponent, a text shorter than the
  // scale limit has fewer fraction and integer digits than either limit allows. Checked
  // for every number of every body, so a 5 MB context's ~100,000 numbers stay cheap.
  if (text.length <= NUMERIC_MAX_SCALE && !text.includes('e') && !text.includes('E')) return false;
  const match = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return false;
  const intPart = match[1] ?? '';
  const fracPart = match[2] ?? '';
  // An exponent too long to be a safe integer is out either way (unless the value is 0
  // with a positive exponent, which PostgreSQL reads as 0).
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  const digits = intPart + fracPart;
  const leadingZeros = /^0*/.exec(digits)?.[0].length ?? 0;
  const isZero = leadingZeros === digits.length;
  if (fracPart.length - exponent > NUMERIC_MAX_SCALE) return true;
  return !isZero && intPart.length + exponent - leadingZeros > NUMERIC_MAX_INTEGER_DIGITS;
}
