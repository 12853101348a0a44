/**
 * Cheap cells for rows nobody is touching. Scrolling mounts rows by the screenful, and
 * the full cells (the kit's CopyButton and RelativeTime, each with a tooltip and several
 * hooks) cost ~4 ms a row on a slow machine: a fling, or the moment it stops, would block
 * the main thread for 100 ms. So rows render "lite" cells — identical to look at, no hooks:
 * the copy button's look without its behaviour, the time with its exact value in `title`
 * (the accessible description) — and a row becomes full, interactive cells as soon as the
 * pointer is over it or focus is in it (the active row of the roving tabindex). That is
 * one row's cost, at the moment it is needed.
 *
 * Extra columns (e.g. bulk delete's checkbox) may read `useCellMode()` to do the same.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { CopyButton, RelativeTime, formatExact, formatIsoUtc, formatRelative, useNow } from '@/components/ui';

export type CellMode = 'full' | 'lite';

const CellModeContext = createContext<CellMode>('full');
/** The shared clock for lite times (TableClock provides it), one subscription per table. */
const NowContext = createContext<number>(0);

export const useCellMode = (): CellMode => useContext(CellModeContext);

export function CellModeProvider({ mode, children }: { mode: CellMode; children: ReactNode }) {
  return <CellModeContext.Provider value={mode}>{children}</CellModeContext.Provider>;
}

/** Provides the clock to the table's lite time cells (ticks every 30 s). */
export function TableClock({ children }: { children: ReactNode }) {
  return <NowContext.Provider value={useNow()}>{children}</NowContext.Provider>;
}

export function IdCell({ id }: { id: string }) {
  const mode = useCellMode();
  return (
    <span className="ctx-id-cell">
      <span className="ctx-id">{id}</span>
      {mode === 'full' ? (
        <CopyButton text={id} label={`Copy id ${id}`} />
      ) : (
        // The copy button's look in one inert element (the icon is a CSS mask): it becomes
        // the real button when scrolling stops.
        <span className="ui-copy ctx-copy-slot" aria-hidden="true" />
      )}
    </span>
  );
}

export function TimeCell({ date }: { date: string }) {
  const mode = useCellMode();
  const now = useContext(NowContext);
  if (mode === 'full') return <RelativeTime date={date} />;
  const iso = formatIsoUtc(date);
  return (
    <time dateTime={iso} title={`${formatExact(date)} (${iso})`} className="ui-relative-time">
      {formatRelative(date, now)}
    </time>
  );
}
