/**
 * ETags of execution contexts: `"v<version>"`, strong. If-Match is parsed into what the
 * store understands: no condition, any existing context (`*`), one of some versions, or a
 * value that can never match (weak or malformed tags: If-Match needs strong comparison).
 */

export const etagOf = (version: number): string => `"v${version}"`;

export type IfMatch =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'versions'; versions: number[] }
  | { kind: 'never' };

const STRONG_TAG = /^"v([1-9]\d{0,14})"$/;

export function parseIfMatch(header: string | string[] | undefined): IfMatch {
  if (header === undefined) return { kind: 'none' };
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  if (raw === '*') return { kind: 'any' };
  const versions: number[] = [];
  for (const part of raw.split(',')) {
    const match = STRONG_TAG.exec(part.trim());
    if (match?.[1]) versions.push(Number(match[1]));
  }
  return versions.length > 0 ? { kind: 'versions', versions } : { kind: 'never' };
}

/** Whether a stored version satisfies the condition. */
export function ifMatchAllows(condition: IfMatch, version: number): boolean {
  switch (condition.kind) {
    case 'none':
    case 'any':
      return true;
    case 'versions':
      return condition.versions.includes(version);
    case 'never':
      return false;
  }
}
