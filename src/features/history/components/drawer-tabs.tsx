/**
 * The drawer body's two tabs, "Context" (the viewer or the editor, untouched) and
 * "History" (the lazily loaded HistoryPanel). Both stay mounted while the drawer shows one
 * context, so switching tabs never loses an edit in progress.
 */
import { lazy, Suspense, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ExecutionContext } from '@contract/types';
import { Spinner } from '@/components/ui';
import '@/styles/admin-pages.css';

const HistoryPanel = lazy(() => import('./history-panel').then((m) => ({ default: m.HistoryPanel })));

type Tab = 'context' | 'history';

export function DrawerTabs({ context, etag, children }: { context: ExecutionContext; etag: string | null; children: ReactNode }) {
  const [tab, setTab] = useState<Tab>('context');
  const [historyOpened, setHistoryOpened] = useState(false);
  const base = useId();
  const select = (next: Tab) => {
    setTab(next);
    if (next === 'history') setHistoryOpened(true);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      const next: Tab = tab === 'context' ? 'history' : 'context';
      select(next);
      document.getElementById(`${base}-${next}-tab`)?.focus();
    }
  };
  const tabButton = (value: Tab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`${base}-${value}-tab`}
      aria-selected={tab === value}
      aria-controls={`${base}-${value}-panel`}
      tabIndex={tab === value ? 0 : -1}
      className="ctx-tabs__tab"
      onClick={() => select(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="ctx-tabs">
      <div role="tablist" aria-label="Context views" className="ctx-tabs__list" onKeyDown={onKeyDown}>
        {tabButton('context', 'Context')}
        {tabButton('history', 'History')}
      </div>
      <div role="tabpanel" id={`${base}-context-panel`} aria-labelledby={`${base}-context-tab`} hidden={tab !== 'context'}>
        {children}
      </div>
      <div role="tabpanel" id={`${base}-history-panel`} aria-labelledby={`${base}-history-tab`} hidden={tab !== 'history'}>
        {historyOpened && (
          <Suspense fallback={<Spinner label="Loading the history…" />}>
            <HistoryPanel context={context} etag={etag} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
