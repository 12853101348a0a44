/**
 * The browse screen: filters, the virtualized table, the detail drawer — wired to the URL
 * (filters and `?context=<id>`) and to the infinite list query. Features built on top of
 * it plug in through props, never by editing this file (see ../README.md):
 *
 * - `leadingColumns`: columns before the id (bulk delete's selection checkbox);
 * - `toolbarActions(slot)`: buttons in the table's toolbar (bulk delete's "Delete…");
 * - `drawerActions(slot)`: buttons in the drawer's header (Edit, Delete);
 * - `renderDrawerBody(slot)`: replaces the drawer's JSON section (the editor).
 */
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnVisibilityState, OnChangeFn, Updater } from '@tanstack/react-table';
import {
  Suspense,
  lazy,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import { Page, PageHeader } from '@/components/layout';
import { Button, EmptyState, ErrorState, IconButton, RefreshIcon, Spinner, describeError } from '@/components/ui';
import { resetContextsList, useContextsInfinite } from '../api/list-contexts';
import { hasActiveFilters, hasSearch, searchHighlight, serializeSearch, type ContextListFilters } from '../filters';
import { useContextFilters } from '../hooks/use-context-filters';
import { useReadWait } from '../hooks/use-read-wait';
import { loadColumnVisibility, saveColumnVisibility } from '../lib/column-visibility';
import { formatCount } from '../lib/format';
import { ColumnMenu, hideableColumns } from './column-menu';
import { baseContextColumns, type ContextColumnDef, type ContextRow } from './columns';
import type { ContextDrawerSlot } from './context-drawer';
import { ContextsTable, type ContextsTableHandle } from './contexts-table';
import { FiltersBar } from './filters-bar';
import { GoToContext } from './go-to-context';
import { RateLimitNotice } from './rate-limit-notice';

/** What `toolbarActions` receives. */
export interface ContextsToolbarSlot {
  /** Every loaded row, in table order (deduplicated). */
  rows: readonly ContextRow[];
  filters: ContextListFilters;
  /** Rows exist beyond the loaded ones. */
  hasMore: boolean;
}

export interface ContextsViewProps {
  /** Columns before the id column; memoize them (a new array rebuilds the table). */
  leadingColumns?: ContextColumnDef[];
  toolbarActions?: (slot: ContextsToolbarSlot) => ReactNode;
  drawerActions?: (slot: ContextDrawerSlot) => ReactNode;
  renderDrawerBody?: (slot: ContextDrawerSlot & { viewer: ReactNode }) => ReactNode;
}

/**
 * The drawer (and its JSON viewer) is a separate chunk: the first rows must not wait for
 * code only needed once a context is opened. It is fetched when the user shows intent
 * (pointer over or focus in the table) or when the URL names a context.
 */
const loadDrawer = () => import('./context-drawer');
const ContextDrawer = lazy(() => loadDrawer().then((m) => ({ default: m.ContextDrawer })));
let drawerRequested = false;
const prefetchDrawer = () => {
  if (drawerRequested) return;
  drawerRequested = true;
  void loadDrawer();
};

const NO_COLUMNS: ContextColumnDef[] = [];
const NO_ROWS: ContextRow[] = [];

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

export function ContextsView({
  leadingColumns = NO_COLUMNS,
  toolbarActions,
  drawerActions,
  renderDrawerBody,
}: ContextsViewProps) {
  const { filters, contextId, setFilters, clearFilters, openContext, closeContext } = useContextFilters();
  const queryClient = useQueryClient();
  const query = useContextsInfinite(filters);
  const rows = query.data?.rows ?? NO_ROWS;
  const hasMore = query.hasNextPage;
  const { isFetching, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;

  // A search the server answers in time-bounded steps (issue 10): a short page with more
  // to come means "keep scanning". The view keeps asking while the user waits (every read
  // waits for the shared read budget) until the scan ends, a page fills, or Stop.
  const searching = hasSearch(filters);
  const filtersKey = useMemo(() => serializeSearch({ filters, contextId: null }), [filters]);
  const [stoppedScan, setStoppedScan] = useState<string | null>(null);
  const scanPending = searching && hasMore && (query.data?.scanContinues ?? false);
  const scanStopped = scanPending && stoppedScan === filtersKey;
  const scanning = scanPending && !scanStopped;
  useEffect(() => {
    if (scanning && !isFetching && !isFetchNextPageError) void fetchNextPage();
  }, [scanning, isFetching, isFetchNextPageError, fetchNextPage]);
  const highlight = useMemo(() => searchHighlight(filters), [filters]);

  const columns = useMemo(() => [...leadingColumns, ...baseContextColumns], [leadingColumns]);
  const optional = useMemo(() => hideableColumns(columns), [columns]);
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(() =>
    loadColumnVisibility(hideableColumns(baseContextColumns).map((c) => c.id)),
  );
  const changeVisibility = useCallback((next: ColumnVisibilityState) => {
    setColumnVisibility(next);
    saveColumnVisibility(next);
  }, []);
  const onColumnVisibilityChange: OnChangeFn<ColumnVisibilityState> = useCallback(
    (updater: Updater<ColumnVisibilityState>) =>
      changeVisibility(typeof updater === 'function' ? updater(columnVisibility) : updater),
    [changeVisibility, columnVisibility],
  );

  const onNearEnd = useCallback(() => {
    // One page at a time, never while the list restarts, and not again after a failed
    // page: the footer offers Retry instead of a loop of failing requests.
    if (!isFetching && !isFetchNextPageError && !scanStopped) void fetchNextPage();
  }, [isFetching, isFetchNextPageError, fetchNextPage, scanStopped]);

  const wait = useReadWait(isFetching, query.failureReason);

  // `/` focuses the filters (unless typing somewhere or a dialog is open).
  const firstFilterRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], [role="alertdialog"]')) return;
      event.preventDefault();
      firstFilterRef.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // Focus returns to the opened row when the drawer closes (if it is rendered).
  const tableRef = useRef<ContextsTableHandle>(null);
  const lastOpened = useRef<string | null>(null);
  useEffect(() => {
    if (contextId !== null) lastOpened.current = contextId;
  }, [contextId]);
  const returnFocusRef = useMemo<RefObject<HTMLElement | null>>(
    () => ({
      get current() {
        const id = lastOpened.current;
        return id === null ? null : (tableRef.current?.getRowElement(id) ?? null);
      },
    }),
    [],
  );

  // Mounted from the first time a context opens, then kept (so it can animate closed).
  const [drawerMounted, setDrawerMounted] = useState(contextId !== null);
  if (contextId !== null && !drawerMounted) setDrawerMounted(true);

  const openRow = useCallback((row: ContextRow) => openContext(row.id), [openContext]);
  const openRowData = useMemo(() => (contextId === null ? undefined : rows.find((r) => r.id === contextId)), [rows, contextId]);

  const filtered = hasActiveFilters(filters);
  const firstLoad = query.isPending;
  let empty: ReactNode = null;
  if (query.isError && rows.length === 0) {
    empty = (
      <ErrorState
        error={query.error}
        title="Could not load contexts"
        message={describeError(query.error).message}
        onRetry={() => void query.refetch()}
        retrying={isFetching}
        compact
      />
    );
  } else if (!firstLoad && rows.length === 0 && scanPending) {
    empty = null; // the footer says the scan goes on (or was stopped)
  } else if (!firstLoad && rows.length === 0) {
    empty = searching ? (
      <EmptyState
        title="No contexts match this search"
        description="Try other words, fewer conditions or fewer filters."
        action={<Button onClick={clearFilters}>Clear search and filters</Button>}
        compact
      />
    ) : filtered ? (
      <EmptyState
        title="No contexts match these filters"
        description="Try another id, more statuses or an earlier date."
        action={<Button onClick={clearFilters}>Clear filters</Button>}
        compact
      />
    ) : (
      <EmptyState title="No contexts yet" description="Contexts appear here as agents and workflows create them." compact />
    );
  }

  const found = `${formatCount(rows.length)} found so far`;
  let footer: ReactNode = null;
  if (scanning && !isFetchNextPageError) {
    footer = (
      <div className="ctx-table-footer ctx-scan">
        <Spinner size={14} label={null} /> Searching… {found}
        <Button size="sm" onClick={() => setStoppedScan(filtersKey)}>
          Stop
        </Button>
      </div>
    );
  } else if (scanStopped) {
    footer = (
      <div className="ctx-table-footer ctx-scan">
        Search stopped · {found}
        <Button size="sm" onClick={() => setStoppedScan(null)}>
          Continue searching
        </Button>
      </div>
    );
  } else if (isFetchingNextPage && wait === 0) {
    footer = (
      <p className="ctx-table-footer">
        <Spinner size={14} label={null} /> Loading more contexts…
      </p>
    );
  } else if (isFetchNextPageError) {
    footer = (
      <div className="ctx-table-footer ctx-table-footer--error" role="alert">
        Could not load more contexts: {describeError(query.error).message}
        <Button size="sm" onClick={() => void fetchNextPage()}>
          Retry
        </Button>
      </div>
    );
  } else if (!hasMore && rows.length > 0) {
    footer = (
      <p className="ctx-table-footer">
        {rows.length === 1 ? 'The only context is loaded' : `All ${formatCount(rows.length)} contexts loaded`}
      </p>
    );
  }

  const summary = firstLoad
    ? searching
      ? 'Searching…'
      : 'Loading contexts…'
    : scanning
      ? `Searching… ${found}`
      : scanStopped
        ? `Search stopped · ${found}`
        : rows.length === 0
          ? query.isError
            ? ''
            : '0 contexts'
          : hasMore
            ? `${formatCount(rows.length)} contexts loaded · more below`
            : `${formatCount(rows.length)} ${rows.length === 1 ? 'context' : 'contexts'}`;

  return (
    <Page fill className="ctx-page">
      <PageHeader
        title="Execution contexts"
        description="Find a context by agent, workflow or status, share the link, read its JSON."
        actions={<GoToContext onOpen={openContext} />}
      />
      <FiltersBar filters={filters} onChange={setFilters} onClear={clearFilters} firstFieldRef={firstFilterRef} />
      <div className="ctx-toolbar">
        <p className="ctx-toolbar__summary" role="status">
          {summary}
        </p>
        <div className="ctx-toolbar__actions">
          {toolbarActions?.({ rows, filters, hasMore })}
          <IconButton
            aria-label="Refresh the list"
            icon={<RefreshIcon size={14} />}
            size="sm"
            variant="secondary"
            loading={isFetching && !isFetchingNextPage}
            onClick={() => void resetContextsList(queryClient, filters)}
          />
          <ColumnMenu columns={optional} visibility={columnVisibility} onChange={changeVisibility} />
        </div>
      </div>
      {wait > 0 && <RateLimitNotice seconds={wait} />}
      <ContextsTable
        ref={tableRef}
        rows={rows}
        columns={columns}
        columnVisibility={columnVisibility}
        onColumnVisibilityChange={onColumnVisibilityChange}
        hasMore={hasMore}
        loading={firstLoad && !query.isError}
        onNearEnd={onNearEnd}
        onOpen={openRow}
        openId={contextId}
        empty={empty}
        footer={footer}
        onIntent={prefetchDrawer}
      />
      {drawerMounted && (
        <Suspense fallback={null}>
          <ContextDrawer
            id={contextId}
            row={openRowData}
            onClose={closeContext}
            actions={drawerActions}
            renderBody={renderDrawerBody}
            returnFocusRef={returnFocusRef}
            highlight={highlight}
          />
        </Suspense>
      )}
    </Page>
  );
}
