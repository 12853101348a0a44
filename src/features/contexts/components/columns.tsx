/**
 * The table's columns, and the types other features use to add theirs (bulk delete's
 * selection checkbox goes in front through `leadingColumns`). Column definitions are
 * module-level constants: TanStack Table rebuilds its models when `columns` changes
 * identity, so callers adding columns must memoize them too.
 */
import {
  columnVisibilityFeature,
  createColumnHelper,
  metaHelper,
  tableFeatures,
  type ColumnDef,
} from '@tanstack/react-table';
import type { ExecutionContextSummary } from '@contract/types';
import { StatusBadge } from '@/components/ui';
import { IdCell, TimeCell } from './cell-mode';

export interface ContextColumnMeta {
  /** CSS grid track of the column: '140px' or 'minmax(220px, 1fr)'. */
  width: string;
  /** Narrowest the column gets (px); the table scrolls sideways below the sum. */
  minWidth: number;
  /** Name in the Columns menu. */
  label: string;
  /** Extra class on the column's cells (e.g. to centre a checkbox). */
  className?: string;
}

export const contextTableFeatures = tableFeatures({
  columnVisibilityFeature,
  columnMeta: metaHelper<ContextColumnMeta>(),
});
export type ContextTableFeatures = typeof contextTableFeatures;
export type ContextRow = ExecutionContextSummary;
export type ContextColumnDef = ColumnDef<ContextTableFeatures, ContextRow>;

/** Build extra columns with this helper so they type-check against the table. */
export const contextColumnHelper = createColumnHelper<ContextTableFeatures, ContextRow>();
const col = contextColumnHelper;

function None() {
  return (
    <span className="ctx-none">
      <span aria-hidden="true">—</span>
      <span className="sr-only">none</span>
    </span>
  );
}

/** Characters of the preview put in the cell: about 1,150 px of 12 px monospace. */
export const PREVIEW_CELL_CHARS = 160;

const text = (value: string | null) => (value === null ? <None /> : <span className="ctx-cell-text">{value}</span>);

export const BASE_COLUMN_IDS = ['id', 'status', 'agent_id', 'workflow_id', 'session_id', 'created_at', 'updated_at', 'preview'] as const;

export const baseContextColumns: ContextColumnDef[] = col.columns([
  col.accessor('id', {
    header: 'ID',
    enableHiding: false,
    meta: { width: '280px', minWidth: 280, label: 'ID' },
    cell: (info) => <IdCell id={info.getValue()} />,
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: '150px', minWidth: 150, label: 'Status' },
    cell: (info) => <StatusBadge status={info.getValue()} size="sm" />,
  }),
  col.accessor('agent_id', {
    header: 'Agent',
    meta: { width: 'minmax(130px, 0.9fr)', minWidth: 130, label: 'Agent' },
    cell: (info) => text(info.getValue()),
  }),
  col.accessor('workflow_id', {
    header: 'Workflow',
    meta: { width: 'minmax(130px, 0.9fr)', minWidth: 130, label: 'Workflow' },
    cell: (info) => text(info.getValue()),
  }),
  col.accessor('session_id', {
    header: 'Session',
    meta: { width: 'minmax(120px, 0.8fr)', minWidth: 120, label: 'Session' },
    cell: (info) => text(info.getValue()),
  }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { width: '112px', minWidth: 112, label: 'Created' },
    cell: (info) => <TimeCell date={info.getValue()} />,
  }),
  col.accessor('updated_at', {
    header: 'Updated',
    meta: { width: '112px', minWidth: 112, label: 'Updated' },
    cell: (info) => <TimeCell date={info.getValue()} />,
  }),
  col.accessor('context_preview', {
    id: 'preview',
    header: 'Context',
    meta: { width: 'minmax(220px, 2fr)', minWidth: 220, label: 'Context preview' },
    // One line; CSS cuts it at the cell's edge. The server sends up to 300 characters;
    // the cell keeps the first PREVIEW_CELL_CHARS (more than the widest column shows), so
    // scrolling does not lay out text nobody can see. The whole value is in the drawer.
    cell: (info) => {
      const value = info.getValue();
      if (value === null) return <span className="ctx-preview ctx-preview--null">null</span>;
      return <span className="ctx-preview">{value.length > PREVIEW_CELL_CHARS ? `${value.slice(0, PREVIEW_CELL_CHARS)}…` : value}</span>;
    },
  }),
]);
