import type { ColumnVisibilityState } from '@tanstack/react-table';
import { Button, Checkbox } from '@/components/ui';
import type { ContextColumnDef } from './columns';
import { Popover } from './popover';

export interface ColumnMenuProps {
  /** The hideable columns, in table order. */
  columns: ReadonlyArray<{ id: string; label: string }>;
  visibility: ColumnVisibilityState;
  onChange: (visibility: ColumnVisibilityState) => void;
}

/** A column's id as TanStack Table derives it: `id`, else the accessor key. */
export const columnId = (column: ContextColumnDef): string | undefined =>
  column.id ?? ('accessorKey' in column && column.accessorKey !== undefined ? String(column.accessorKey) : undefined);

/** Ids and labels of the columns a user may hide (those without `enableHiding: false`). */
export function hideableColumns(columns: readonly ContextColumnDef[]): Array<{ id: string; label: string }> {
  return columns.flatMap((column) => {
    const id = columnId(column);
    if (id === undefined || column.enableHiding === false) return [];
    return [{ id, label: column.meta?.label ?? (typeof column.header === 'string' ? column.header : id) }];
  });
}

/** "Columns ▾": a checkbox per column; the choice is remembered by the caller. */
export function ColumnMenu({ columns, visibility, onChange }: ColumnMenuProps) {
  const shown = columns.filter((c) => visibility[c.id] !== false).length;
  return (
    <Popover
      label="Columns"
      buttonLabel={`Columns: ${shown} of ${columns.length} optional columns shown`}
      panelLabel="Columns to show"
      buttonProps={{ size: 'sm', variant: 'secondary' }}
      align="end"
    >
      <div className="ctx-column-menu">
        {columns.map((c) => (
          <Checkbox
            key={c.id}
            label={c.label}
            checked={visibility[c.id] !== false}
            // Never hide the last one: a table of ids only is still a table.
            disabled={shown === 1 && visibility[c.id] !== false}
            onChange={(e) => onChange({ ...visibility, [c.id]: e.target.checked })}
          />
        ))}
        <Button size="sm" variant="ghost" onClick={() => onChange({})} className="ctx-column-menu__reset">
          Show all columns
        </Button>
      </div>
    </Popover>
  );
}
