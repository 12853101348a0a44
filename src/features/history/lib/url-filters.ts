/**
 * URL ⇄ filters of the admin lists (the URL is the source of truth): only the named
 * parameters are read, empty values are dropped, and the serialised form is canonical
 * (fixed order) so that equal filters give equal URLs and query keys.
 */
export type UrlFilters<Name extends string> = Partial<Record<Name, string>>;

export function parseUrlFilters<Name extends string>(search: string, names: readonly Name[]): UrlFilters<Name> {
  const params = new URLSearchParams(search);
  const filters: UrlFilters<Name> = {};
  for (const name of names) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

export function serializeUrlFilters<Name extends string>(filters: UrlFilters<Name>, names: readonly Name[]): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A day or a full date-time from a filter field, as RFC 3339 for the API: a bare day
 * (2026-11-01) means the start of that day in the viewer's time zone. Invalid → undefined.
 */
export function toRfc3339(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
