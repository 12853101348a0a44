/**
 * The contexts table: TanStack Table v9 for the column model, react-virtual for the rows.
 * It is a real <table> (explicit ARIA roles too, because the grid layout needed for
 * virtualization makes some browsers drop the implicit ones), with aria-rowcount and
 * aria-rowindex so assistive tech knows where each rendered row sits among all of them.
 *
 * Keyboard: the table is one tab stop (roving tabindex on rows); arrows or j/k move the
 * active row, PageUp/PageDown/Home/End jump, Enter opens. The active row is always kept
 * rendered, so focus never falls out of the DOM when it scrolls away.
 */
import { useTable, type ColumnVisibilityState, type OnChangeFn, type Row } from '@tanstack/react-table';
import { defaultRangeExtractor, useVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
  type RefObject,
} from 'react';
import { Skeleton, cx } from '@/components/ui';
import { nextRowIndex } from '../lib/row-navigation';
import { CellModeProvider, TableClock } from './cell-mode';
import { contextTableFeatures, type ContextColumnDef, type ContextRow, type ContextTableFeatures } from './columns';

export const ROW_HEIGHT = 40;
/** Ask for the next page this many rows before the end, so scrolling rarely waits. */
export const PREFETCH_ROWS = 60;
const OVERSCAN = 4;
const SKELETON_ROWS = 12;

export interface ContextsTableHandle {
  /** Focuses the row of this context if it is loaded (it is scrolled into view). */
  focusRow: (id: string) => boolean;
  /** Focuses the active row (or the first one). */
  focus: () => void;
  /** The rendered row element of this context, if any (for focus return). */
  getRowElement: (id: string) => HTMLElement | null;
}

export interface ContextsTableProps {
  rows: ContextRow[];
  columns: ContextColumnDef[];
  columnVisibility: ColumnVisibilityState;
  onColumnVisibilityChange: OnChangeFn<ColumnVisibilityState>;
  /** More rows exist after the loaded ones. */
  hasMore: boolean;
  /** First load: show skeleton rows. */
  loading: boolean;
  /** Called when the user nears the end of the loaded rows; the caller guards repeats. */
  onNearEnd: () => void;
  onOpen: (row: ContextRow) => void;
  /** The context open in the drawer, highlighted. */
  openId: string | null;
  /** Shown in place of the rows when there are none (and not loading). */
  empty?: ReactNode;
  /** Shown under the last row: end of list, loading more, a page's error. */
  footer?: ReactNode;
  label?: string;
  /** The user is about to use the table (pointer over it, focus in it): prefetch. */
  onIntent?: () => void;
  ref?: Ref<ContextsTableHandle>;
}

const INTERACTIVE = 'button, a, input, select, textarea, label, [role="button"], [role="checkbox"]';

type TableRow = Row<ContextTableFeatures, ContextRow>;
type CellRenderer = (props: { cell: ReturnType<TableRow['getVisibleCells']>[number] }) => ReactNode;

/**
 * A row's cells, memoized: while the table scrolls, rows that stay in view only move (their
 * <tr> transform changes) and their cells are not rendered again. `visibility` is only
 * there to re-render when columns are shown or hidden.
 */
const RowCells = memo(function RowCells({
  row,
  lite,
  Render,
}: {
  row: TableRow;
  lite: boolean;
  visibility: ColumnVisibilityState;
  Render: CellRenderer;
}) {
  return (
    <CellModeProvider mode={lite ? 'lite' : 'full'}>
      {row.getVisibleCells().map((cell) => (
        <td key={cell.id} role="cell" className={cx('ctx-td', cell.column.columnDef.meta?.className)}>
          <Render cell={cell} />
        </td>
      ))}
    </CellModeProvider>
  );
});

interface VirtualRowsProps {
  rows: TableRow[];
  columnVisibility: ColumnVisibilityState;
  Render: CellRenderer;
  scrollRef: RefObject<HTMLDivElement | null>;
  hasMore: boolean;
  onNearEnd: () => void;
  onOpen: (row: ContextRow) => void;
  openId: string | null;
  ref?: Ref<ContextsTableHandle>;
}

/**
 * The rendered rows (<tbody>), in their own component: scrolling re-renders only this, not
 * the table model, the header or the footer around it.
 */
function VirtualRows({ rows: tableRows, columnVisibility, Render, scrollRef, hasMore, onNearEnd, onOpen, openId, ref }: VirtualRowsProps) {
  const [active, setActive] = useState(0);
  // The row under the pointer renders full, interactive cells (see cell-mode.tsx).
  const [hovered, setHovered] = useState<string | null>(null);
  const activeIndex = Math.min(active, Math.max(0, tableRows.length - 1));
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focusPending = useRef<number | null>(null);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex < range.count && !indexes.includes(activeIndex)) {
        indexes.push(activeIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [activeIndex],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- react-virtual's API is not memoizable; this component owns it.
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => tableRows[index]?.id ?? index,
    overscan: OVERSCAN,
    rangeExtractor,
    // Let React batch the scroll's re-render with the frame instead of forcing it
    // synchronously inside every scroll event.
    useFlushSync: false,
  });
  const scrolling = virtualizer.isScrolling;
  const items = virtualizer.getVirtualItems();
  const lastRendered = items.length > 0 ? (items[items.length - 1]?.index ?? -1) : -1;

  // Rows are laid out in normal flow after one spacer row, not each moved by a transform:
  // while scrolling, rows that stay in view are not touched at all (no style change), only
  // the spacer's height and the rows entering and leaving. The active row, when it is kept
  // rendered far from the others (rangeExtractor), is positioned on its own.
  let flow = items;
  let detached: VirtualItem | null = null;
  if (items.length > 1) {
    const first = items[0] as VirtualItem;
    const last = items[items.length - 1] as VirtualItem;
    if (first.index === activeIndex && (items[1] as VirtualItem).index !== first.index + 1) {
      detached = first;
      flow = items.slice(1);
    } else if (last.index === activeIndex && (items[items.length - 2] as VirtualItem).index !== last.index - 1) {
      detached = last;
      flow = items.slice(0, -1);
    }
  }
  const spacer = flow[0]?.start ?? 0;

  useEffect(() => {
    if (hasMore && lastRendered >= tableRows.length - PREFETCH_ROWS) onNearEnd();
  }, [lastRendered, tableRows.length, hasMore, onNearEnd]);

  const rowElement = useCallback(
    (index: number) => bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`) ?? null,
    [],
  );

  useEffect(() => {
    if (focusPending.current === null) return;
    const element = rowElement(focusPending.current);
    if (element) {
      focusPending.current = null;
      element.focus({ preventScroll: true });
    }
  });

  const moveTo = useCallback(
    (index: number) => {
      focusPending.current = index;
      setActive(index);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      const element = rowElement(index);
      if (element) {
        focusPending.current = null;
        element.focus({ preventScroll: true });
      }
    },
    [rowElement, virtualizer],
  );

  useImperativeHandle(
    ref,
    () => ({
      focusRow: (id) => {
        const index = tableRows.findIndex((r) => r.id === id);
        if (index < 0) return false;
        moveTo(index);
        return true;
      },
      focus: () => moveTo(activeIndex),
      getRowElement: (id) => {
        const found = bodyRef.current?.querySelectorAll<HTMLElement>('tr[data-context-id]') ?? [];
        for (const element of found) if (element.dataset.contextId === id) return element;
        return null;
      },
    }),
    [tableRows, moveTo, activeIndex],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement;
    // Only when a row itself has focus: keys in a cell's button stay the button's.
    if (target.tagName !== 'TR' || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Number(target.dataset.index);
    if (event.key === 'Enter') {
      event.preventDefault();
      const row = tableRows[index];
      if (row) onOpen(row.original);
      return;
    }
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const next = nextRowIndex(event.key, index, tableRows.length, pageRows);
    if (next === null) return;
    event.preventDefault();
    moveTo(next);
  };

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, row: ContextRow) => {
    if ((event.target as HTMLElement).closest(INTERACTIVE)) return;
    // Selecting text in a row (to copy a value) is not a click to open.
    if (window.getSelection()?.toString()) return;
    onOpen(row);
  };

  const renderRow = (item: VirtualItem, isDetached: boolean) => {
    const row = tableRows[item.index];
    if (!row) return null;
    const isActive = item.index === activeIndex;
    return (
      <tr
        key={row.id}
        role="row"
        data-index={item.index}
        data-context-id={row.id}
        aria-rowindex={item.index + 2}
        tabIndex={isActive ? 0 : -1}
        className={cx('ctx-tr', row.id === openId && 'ctx-tr--open', isDetached && 'ctx-tr--detached')}
        style={isDetached ? { transform: `translateY(${item.start}px)` } : undefined}
        onClick={(event) => onRowClick(event, row.original)}
        // Focus anywhere in the row makes it the active one (so its cells stay full while a
        // copy button in it has focus).
        onFocus={() => {
          if (!isActive) setActive(item.index);
        }}
        onPointerEnter={() => setHovered(row.id)}
      >
        <RowCells
          row={row}
          lite={!isActive && (scrolling || row.id !== hovered)}
          visibility={columnVisibility}
          Render={Render}
        />
      </tr>
    );
  };


  return (
    <tbody
      ref={bodyRef}
      className="ctx-tbody"
      role="rowgroup"
      style={{ height: virtualizer.getTotalSize() }}
      onKeyDown={onKeyDown}
      onPointerLeave={() => setHovered(null)}
    >
      {spacer > 0 && <tr className="ctx-spacer" role="presentation" aria-hidden="true" style={{ height: spacer }} />}
      {flow.map((item) => renderRow(item, false))}
      {detached && renderRow(detached, true)}
    </tbody>
  );
}

export function ContextsTable({
  rows,
  columns,
  columnVisibility,
  onColumnVisibilityChange,
  hasMore,
  loading,
  onNearEnd,
  onOpen,
  openId,
  empty,
  footer,
  label = 'Execution contexts',
  onIntent,
  ref,
}: ContextsTableProps) {
  const table = useTable({
    features: contextTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { columnVisibility },
    onColumnVisibilityChange,
  });
  const tableRows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const gridStyle = useMemo(() => {
    const metas = visibleColumns.map((c) => c.columnDef.meta);
    return {
      '--ctx-grid': metas.map((m) => m?.width ?? 'minmax(120px, 1fr)').join(' '),
      '--ctx-table-min': `${metas.reduce((sum, m) => sum + (m?.minWidth ?? 120), 0)}px`,
    } as CSSProperties;
  }, [visibleColumns]);

  const scrollRef = useRef<HTMLDivElement>(null);

  const headerGroups = table.getHeaderGroups();
  const showEmpty = !loading && tableRows.length === 0;

  return (
    <TableClock>
      <div ref={scrollRef} className="ctx-table-scroll" style={gridStyle} onPointerOver={onIntent} onFocus={onIntent}>
        <table
          className="ctx-table"
          role="table"
          aria-label={label}
          aria-rowcount={loading || hasMore ? -1 : tableRows.length + 1}
          aria-busy={loading || undefined}
        >
          <thead className="ctx-thead" role="rowgroup">
            {headerGroups.map((group) => (
              <tr key={group.id} role="row" aria-rowindex={1} className="ctx-tr ctx-tr--head">
                {group.headers.map((header) => (
                  <th
                    key={header.id}
                    role="columnheader"
                    scope="col"
                    className={cx('ctx-th', header.column.columnDef.meta?.className)}
                  >
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          {loading ? (
            <tbody className="ctx-tbody ctx-tbody--static" role="rowgroup" aria-hidden="true">
              {Array.from({ length: SKELETON_ROWS }, (_, i) => (
                <tr key={i} className="ctx-tr ctx-tr--skeleton">
                  {visibleColumns.map((column) => (
                    <td key={column.id} className="ctx-td">
                      <Skeleton width={column.id === 'status' ? 80 : `${60 + ((i * 7 + column.id.length * 13) % 35)}%`} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          ) : (
            <VirtualRows
              ref={ref}
              rows={tableRows}
              columnVisibility={columnVisibility}
              Render={table.FlexRender}
              scrollRef={scrollRef}
              hasMore={hasMore}
              onNearEnd={onNearEnd}
              onOpen={onOpen}
              openId={openId}
            />
          )}
        </table>
        {showEmpty && empty}
        {footer}
      </div>
    </TableClock>
  );
}
