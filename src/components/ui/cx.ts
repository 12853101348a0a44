/** Joins class names, skipping falsy values: `cx('a', cond && 'b')`. Tiny on purpose. */
export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(' ');
}
