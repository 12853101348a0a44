/**
 * Splits one viewer line into styled segments: syntax classes (key, string, number…) cut
 * further at search-match boundaries, so the renderer only maps segments to spans. Very
 * long lines (a 1 MB string value) are cut at `limit` characters unless expanded: one such
 * line must not cost a long layout on every scroll.
 */
import { lineContent, type JsonLine, type JsonMatch } from './json-lines';

export type TokenClass = 'key' | 'punct' | 'string' | 'number' | 'boolean' | 'null';

export interface Segment {
  text: string;
  token: TokenClass;
  /** 'current' for the match the find box points at. */
  mark?: 'match' | 'current';
}

export const LINE_DISPLAY_LIMIT = 2000;

interface Span {
  start: number;
  end: number;
  token: TokenClass;
}

function tokenSpans(line: JsonLine): Span[] {
  const spans: Span[] = [];
  let at = 0;
  const push = (length: number, token: TokenClass) => {
    if (length > 0) spans.push({ start: at, end: at + length, token });
    at += length;
  };
  if (line.key !== null) {
    push(line.key.length, 'key');
    push(2, 'punct'); // ": "
  }
  const token: TokenClass =
    line.kind !== 'value' || line.valueType === 'object' || line.valueType === 'array'
      ? 'punct'
      : (line.valueType as TokenClass);
  push(line.text.length, token);
  if (line.comma && line.kind !== 'open') push(1, 'punct');
  return spans;
}

export interface SegmentOptions {
  /** Matches on this line, in order. */
  matches?: readonly JsonMatch[];
  /** The current match, if it is on this line. */
  current?: JsonMatch | null;
  /** Characters shown before the line is cut; Infinity shows all. */
  limit?: number;
}

export interface LineSegments {
  segments: Segment[];
  /** Characters not shown (0 when the line is complete). */
  hidden: number;
}

export function segmentLine(line: JsonLine, { matches = [], current = null, limit = LINE_DISPLAY_LIMIT }: SegmentOptions = {}): LineSegments {
  const content = lineContent(line);
  const shown = Math.min(content.length, limit);
  // Cut points: token boundaries and match boundaries, within what is shown.
  const cuts = new Set<number>([0, shown]);
  const spans = tokenSpans(line);
  for (const s of spans) cuts.add(Math.min(s.start, shown)).add(Math.min(s.end, shown));
  for (const m of matches) cuts.add(Math.min(m.start, shown)).add(Math.min(m.end, shown));
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let spanIndex = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (end <= start) continue;
    while (spanIndex < spans.length - 1 && (spans[spanIndex] as Span).end <= start) spanIndex++;
    const token = spans[spanIndex]?.token ?? 'punct';
    const match = matches.find((m) => m.start <= start && end <= m.end);
    const isCurrent = match !== undefined && current !== null && match.start === current.start && match.line === current.line;
    const segment: Segment = { text: content.slice(start, end), token };
    if (match) segment.mark = isCurrent ? 'current' : 'match';
    const previous = segments[segments.length - 1];
    // Merge neighbours with the same look so a line renders as few spans as possible.
    if (previous && previous.token === segment.token && previous.mark === segment.mark) previous.text += segment.text;
    else segments.push(segment);
  }
  return { segments, hidden: content.length - shown };
}
