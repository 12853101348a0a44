/**
 * A read-only JSON viewer that stays responsive for multi-megabyte contexts: the value is
 * flattened once into the lines of its pretty-printed text (json-lines.ts) and only the
 * lines in view are rendered (react-virtual). Objects and arrays fold; the find box
 * searches keys and values, counts matches and steps through them, unfolding what hides
 * the current one. What it shows is exactly `stringifyJson(value, 2)` (the lossless
 * writer): big numbers with all their digits, `1.10` with its zero, members in the order
 * stored — and the search finds numbers by the digits shown.
 *
 * A multi-megabyte value is flattened in time slices (json-lines.ts `flattenJsonAsync`)
 * so that opening it never blocks the page; a small one in the first render.
 *
 * Not Monaco on purpose: Monaco is ~1 MB gzip and belongs to the editor chunk, loaded only
 * when Edit is pressed.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PathSegment } from '@contract/search/condition';
import type { JsonValue } from '@contract/types';
import { Button, ChevronDownIcon, ChevronRightIcon, IconButton, SearchIcon, Skeleton, TextField, cx } from '@/components/ui';
import { CopyJsonButton } from './copy-json-button';
import { useDebouncedCallback } from '../../hooks/use-debounced-callback';
import {
  ancestorsOf,
  flattenJsonAsync,
  flattenJsonWithin,
  foldSummary,
  nestedOpenLines,
  searchLines,
  visibleLineIndices,
  type JsonLine,
  type JsonMatch,
  type SearchResult,
} from './json-lines';
import { LINE_DISPLAY_LIMIT, segmentLine } from './line-segments';
import { pathMatch } from './reveal-path';

export interface JsonViewerProps {
  value: JsonValue;
  /** Accessible name of the viewer region. */
  label?: string;
  className?: string;
  /** Opens with this text in the find box, scrolled to its first match (a list search's q). */
  initialSearch?: string;
  /** Else: opens scrolled to this member, highlighted (the member a `where` condition names). */
  revealPath?: readonly PathSegment[];
}

const LINE_HEIGHT = 20;
const SEARCH_LIMIT = 10_000;
const NO_SEARCH: SearchResult = { matches: [], truncated: false };

/** Index of `line` in the sorted visible-line list (or of the nearest line before it). */
function visiblePosition(visible: Int32Array, line: number): number {
  let lo = 0;
  let hi = visible.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((visible[mid] as number) <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const keyName = (line: JsonLine, index: number): string =>
  line.key !== null ? line.key : line.parent === -1 ? 'the whole context' : `line ${index + 1}`;

/** The find state a viewer opens with: a search's matches, a member, or nothing. */
function initialFind(lines: readonly JsonLine[], initialSearch?: string, revealPath?: readonly PathSegment[]) {
  if (initialSearch) return { query: initialSearch, result: searchLines(lines, initialSearch, SEARCH_LIMIT), index: 0 };
  const member = revealPath ? pathMatch(lines, revealPath) : null;
  if (member) return { query: '(member)', result: { matches: [member], truncated: false }, index: 0 };
  return { query: '', result: NO_SEARCH, index: 0 };
}

/** Work done in the render that mounts the viewer; more continues in slices. */
const SYNC_FLATTEN_MS = 8;

/** The value's lines: at once when cheap, otherwise null until the sliced flattening ends. */
function useJsonLines(value: JsonValue): JsonLine[] | null {
  const [state, setState] = useState(() => ({ value, lines: flattenJsonWithin(value, SYNC_FLATTEN_MS) }));
  let current = state;
  if (state.value !== value) {
    current = { value, lines: flattenJsonWithin(value, SYNC_FLATTEN_MS) };
    setState(current);
  }
  const ready = current.lines !== null;
  useEffect(() => {
    if (ready) return;
    const controller = new AbortController();
    flattenJsonAsync(value, { signal: controller.signal }).then(
      (lines) => setState({ value, lines }),
      () => {
        // Aborted: the viewer unmounted or shows another value now.
      },
    );
    return () => controller.abort();
  }, [value, ready]);
  return current.lines;
}

export function JsonViewer({ value, label = 'Context JSON', className, initialSearch, revealPath }: JsonViewerProps) {
  const lines = useJsonLines(value);
  if (lines === null) {
    return (
      <section className={cx('jv', className)} aria-label={label} aria-busy="true">
        <div className="jv__toolbar">
          <span className="jv__count" role="status">
            Preparing the JSON…
          </span>
          <span className="jv__spacer" />
          <CopyJsonButton value={value} />
        </div>
        <div className="jv__scroll">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} width={`${30 + ((i * 37) % 60)}%`} />
          ))}
        </div>
      </section>
    );
  }
  return (
    <JsonLinesView
      value={value}
      lines={lines}
      label={label}
      className={className}
      initialSearch={initialSearch}
      revealPath={revealPath}
    />
  );
}

function JsonLinesView({
  value,
  lines,
  label,
  className,
  initialSearch,
  revealPath,
}: JsonViewerProps & { lines: JsonLine[]; label: string }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const [draft, setDraft] = useState(initialSearch ?? '');
  const [search, setSearch] = useState<{ query: string; result: SearchResult; index: number }>(() =>
    initialFind(lines, initialSearch, revealPath),
  );
  const first = search.result.matches[0];
  const [unclipped, setUnclipped] = useState<ReadonlySet<number>>(() =>
    first && first.end > LINE_DISPLAY_LIMIT ? new Set([first.line]) : new Set(),
  );
  // A request to bring a line into view once the render that unfolds it is done (on
  // opening: the first match of the initial search, nothing being folded yet).
  const [scrollRequest, setScrollRequest] = useState<{ line: number; seq: number } | null>(() =>
    first ? { line: first.line, seq: 1 } : null,
  );

  const visible = useMemo(() => visibleLineIndices(lines, collapsed), [lines, collapsed]);
  const matchesByLine = useMemo(() => {
    const map = new Map<number, JsonMatch[]>();
    for (const m of search.result.matches) {
      const list = map.get(m.line);
      if (list) list.push(m);
      else map.set(m.line, [m]);
    }
    return map;
  }, [search.result]);
  const current = search.result.matches[search.index] ?? null;

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- react-virtual's API is not memoizable; this component owns it.
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    getItemKey: (i) => visible[i] as number,
    overscan: 20,
  });

  // Once per request: a later fold toggle changes `visible` but must not scroll back.
  const handledScroll = useRef(0);
  useEffect(() => {
    if (scrollRequest === null || handledScroll.current === scrollRequest.seq) return;
    handledScroll.current = scrollRequest.seq;
    virtualizer.scrollToIndex(visiblePosition(visible, scrollRequest.line), { align: 'center' });
  }, [scrollRequest, visible, virtualizer]);

  /** Unfolds and unclips whatever hides `match`, then scrolls to it. */
  const reveal = (match: JsonMatch | null | undefined) => {
    if (!match) return;
    const hiding = ancestorsOf(lines, match.line).filter((i) => collapsed.has(i));
    if (hiding.length > 0) {
      setCollapsed((prev) => {
        const next = new Set(prev);
        hiding.forEach((i) => next.delete(i));
        return next;
      });
    }
    if (match.end > LINE_DISPLAY_LIMIT && !unclipped.has(match.line)) {
      setUnclipped((prev) => new Set(prev).add(match.line));
    }
    setScrollRequest((prev) => ({ line: match.line, seq: (prev?.seq ?? 0) + 1 }));
  };

  const runSearch = useDebouncedCallback((query: string) => {
    const result = query === '' ? NO_SEARCH : searchLines(lines, query, SEARCH_LIMIT);
    setSearch({ query, result, index: 0 });
    reveal(result.matches[0]);
  }, 200);

  const step = (delta: number) => {
    if (runSearch.pending) runSearch.flush();
    const count = search.result.matches.length;
    if (count === 0) return;
    const index = (search.index + delta + count) % count;
    setSearch((prev) => ({ ...prev, index }));
    reveal(search.result.matches[index]);
  };

  const onFindKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      // Enter right after typing jumps to the first match of the new query.
      if (runSearch.pending) runSearch.flush();
      else step(event.shiftKey ? -1 : 1);
    }
  };

  const toggleFold = (index: number) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });

  const count = search.result.matches.length;
  const status =
    search.query === ''
      ? ''
      : count === 0
        ? 'No matches'
        : `${(search.index + 1).toLocaleString()} of ${count.toLocaleString()}${search.result.truncated ? '+' : ''}`;
  const hasFolds = lines.some((l) => l.kind === 'open' && l.depth > 0);
  const gutterChars = String(lines.length).length;

  return (
    <section className={cx('jv', className)} aria-label={label}>
      <div className="jv__toolbar">
        <TextField
          type="search"
          size="sm"
          label="Find in JSON"
          hideLabel
          placeholder="Find in JSON"
          leadingIcon={<SearchIcon size={14} />}
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            runSearch.call(event.target.value);
          }}
          onKeyDown={onFindKeyDown}
          className="jv__find"
          autoComplete="off"
          spellCheck={false}
        />
        <span className="jv__count" role="status" aria-live="polite">
          {status}
        </span>
        <IconButton
          aria-label="Previous match"
          icon={<ChevronDownIcon size={14} className="jv__icon-up" />}
          size="sm"
          disabled={count === 0}
          onClick={() => step(-1)}
        />
        <IconButton
          aria-label="Next match"
          icon={<ChevronDownIcon size={14} />}
          size="sm"
          disabled={count === 0}
          onClick={() => step(1)}
        />
        <span className="jv__spacer" />
        {hasFolds && (
          <>
            <Button size="sm" variant="ghost" onClick={() => setCollapsed(new Set())}>
              Expand all
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setCollapsed(nestedOpenLines(lines))}>
              Collapse all
            </Button>
          </>
        )}
        <CopyJsonButton value={value} />
      </div>
      <div
        ref={scrollRef}
        className="jv__scroll"
        role="region"
        aria-label={`${label}, ${lines.length.toLocaleString()} lines`}
        // A scrollable region must be reachable by keyboard to be scrolled without a mouse.
        tabIndex={0}
        style={{ ['--jv-gutter' as string]: `${gutterChars + 1}ch` }}
      >
        <div className="jv__lines" style={{ height: virtualizer.getTotalSize() }} data-testid="json-lines">
          {virtualizer.getVirtualItems().map((item) => {
            const index = visible[item.index] as number;
            const line = lines[index] as JsonLine;
            const isFolded = line.kind === 'open' && collapsed.has(index);
            const onLine = matchesByLine.get(index);
            const { segments, hidden } = segmentLine(line, {
              matches: onLine,
              current: current?.line === index ? current : null,
              limit: unclipped.has(index) ? Infinity : LINE_DISPLAY_LIMIT,
            });
            const close = isFolded ? (lines[line.end] as JsonLine) : null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                data-line={index + 1}
                data-depth={line.depth}
                ref={virtualizer.measureElement}
                className={cx('jv__line', current?.line === index && 'jv__line--current')}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <span className="jv__no" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="jv__code" style={{ paddingLeft: `${line.depth * 2}ch` }}>
                  {line.kind === 'open' ? (
                    <button
                      type="button"
                      className="jv__fold"
                      aria-expanded={!isFolded}
                      aria-label={`${isFolded ? 'Expand' : 'Collapse'} ${keyName(line, index)}`}
                      onClick={() => toggleFold(index)}
                    >
                      {isFolded ? <ChevronRightIcon size={12} /> : <ChevronDownIcon size={12} />}
                    </button>
                  ) : (
                    <span className="jv__fold-space" aria-hidden="true" />
                  )}
                  <span className="jv__text">
                    {segments.map((s, i) => (
                      <span key={i} className={cx(`jv-t-${s.token}`, s.mark && `jv-mark jv-mark--${s.mark}`)}>
                        {s.text}
                      </span>
                    ))}
                    {close && (
                      <>
                        <span className="jv-t-punct"> … {close.text}{close.comma ? ',' : ''}</span>
                        <span className="jv__summary"> {foldSummary(line)}</span>
                      </>
                    )}
                    {hidden > 0 && (
                      <button
                        type="button"
                        className="jv__more"
                        onClick={() => setUnclipped((prev) => new Set(prev).add(index))}
                      >
                        … show {hidden.toLocaleString()} more characters
                      </button>
                    )}
                  </span>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
