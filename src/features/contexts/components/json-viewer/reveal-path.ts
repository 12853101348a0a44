/**
 * Finds the line of the member a `where` condition names (issue 10), so that opening a
 * search result shows it highlighted. Kept apart from json-lines.ts: it only reads the
 * flattened lines (key, kind, end) and needs nothing else from the viewer.
 */
import type { PathSegment } from '@contract/search/condition';
import { lineContent, type JsonLine, type JsonMatch } from './json-lines';

/** Index of the line of the member at `path` (from the root line 0), or -1. */
export function lineOfPath(lines: readonly JsonLine[], path: readonly PathSegment[]): number {
  let current = 0;
  for (const segment of path) {
    const open = lines[current];
    if (!open || open.kind !== 'open') return -1;
    if ((typeof segment === 'number') !== (open.valueType === 'array')) return -1;
    // Member names in lines are JSON text; the viewer writes them with JSON.stringify.
    // fidelity-ok: a member name, not a number.
    const key = typeof segment === 'string' ? JSON.stringify(segment) : null; // fidelity-ok: a member name
    let found = -1;
    let position = 0;
    for (let j = current + 1; j < open.end; position += 1) {
      const line = lines[j] as JsonLine;
      if (typeof segment === 'number' ? position === segment : line.key === key) {
        found = j;
        break;
      }
      j = line.kind === 'open' ? line.end + 1 : j + 1;
    }
    if (found < 0) return -1;
    current = found;
  }
  return current;
}

/** A match covering the member's name (or, for an array item, its first line). */
export function pathMatch(lines: readonly JsonLine[], path: readonly PathSegment[]): JsonMatch | null {
  const line = lineOfPath(lines, path);
  if (line <= 0) return null;
  const content = lineContent(lines[line] as JsonLine);
  return { line, start: 0, end: content.length };
}
