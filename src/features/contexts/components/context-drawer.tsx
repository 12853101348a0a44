/**
 * The detail drawer of one context (`?context=<id>`): a modal dialog titled with the id,
 * the metadata with copy buttons — every field the API returned, including ones this
 * dashboard does not know — and the context JSON in the virtualized viewer.
 *
 * Extension points for the editor and delete features (see ../README.md):
 * - `actions(slot)` renders in the header, left of the close button (Edit, Delete);
 * - `renderBody(slot)` may replace the JSON section (the editor, once Edit is pressed);
 *   it gets the default viewer as `slot.viewer` to fall back to.
 */
import { useDeferredValue, useState, type ReactNode, type RefObject } from 'react';
import { stringifyJson } from '@contract/json/lossless-json';
import type { ExecutionContext, JsonValue } from '@contract/types';
import { toJsonValue } from '@/lib/context-json';
import {
  CopyButton,
  Drawer,
  EmptyState,
  ErrorState,
  RelativeTime,
  Skeleton,
  StatusBadge,
  formatExact,
} from '@/components/ui';
import { useExecutionContext, isNotFound } from '../api/get-context';
import { useReadWait } from '../hooks/use-read-wait';
import { formatBytes } from '../lib/format';
import type { SearchHighlight } from '../filters';
import type { ContextRow } from './columns';
import { JsonViewer } from './json-viewer';
import { RateLimitNotice } from './rate-limit-notice';
import { notFoundMessage } from './go-to-context';

/** What the drawer's extension points receive. */
export interface ContextDrawerSlot {
  /** The context exactly as GET returned it (extra fields included). */
  context: ExecutionContext;
  /** Its ETag (`"v<version>"`), for If-Match; null if the server sent none. */
  etag: string | null;
  /** Closes the drawer (and updates the URL). */
  close: () => void;
}

export interface ContextDrawerProps {
  /** The open context's id; null: closed. */
  id: string | null;
  /** Its list row, if loaded: metadata shows at once while the full context loads. */
  row?: ContextRow;
  onClose: () => void;
  actions?: (slot: ContextDrawerSlot) => ReactNode;
  renderBody?: (slot: ContextDrawerSlot & { viewer: ReactNode }) => ReactNode;
  /** Where focus goes on close (the row); falls back to what had focus on open. */
  returnFocusRef?: RefObject<HTMLElement | null>;
  /** The list's search: the viewer opens on its first match (q) or the member a condition names. */
  highlight?: SearchHighlight;
}

const KNOWN_FIELDS = ['id', 'status', 'agent_id', 'workflow_id', 'session_id', 'created_at', 'updated_at'] as const;
const FIELD_LABELS: Record<(typeof KNOWN_FIELDS)[number], string> = {
  id: 'ID',
  status: 'Status',
  agent_id: 'Agent',
  workflow_id: 'Workflow',
  session_id: 'Session',
  created_at: 'Created',
  updated_at: 'Updated',
};
/** Fields shown elsewhere (the JSON section) or derived for the list only. */
const NOT_METADATA = new Set(['context', 'context_preview', 'context_size']);

type Fields = Record<string, unknown>;

/** A field as text; fields the dashboard does not know may hold any JSON (numbers exactly). */
const asText = (value: unknown): string => (typeof value === 'string' ? value : stringifyJson(toJsonValue(value)));

function FieldValue({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined) {
    return (
      <span className="ctx-none">
        <span aria-hidden="true">—</span>
        <span className="sr-only">none</span>
      </span>
    );
  }
  if (name === 'status' && typeof value === 'string') return <StatusBadge status={value as ExecutionContext['status']} />;
  if ((name === 'created_at' || name === 'updated_at') && typeof value === 'string') {
    return (
      <span className="ctx-meta__time">
        <span>{formatExact(value)}</span>
        <RelativeTime date={value} className="ctx-meta__relative" />
      </span>
    );
  }
  return <span className="ctx-meta__text">{asText(value)}</span>;
}

function Metadata({ fields }: { fields: Fields }) {
  const extra = Object.keys(fields).filter((k) => !(KNOWN_FIELDS as readonly string[]).includes(k) && !NOT_METADATA.has(k));
  const entries: Array<[string, string]> = [
    ...KNOWN_FIELDS.map((k): [string, string] => [k, FIELD_LABELS[k]]),
    ...extra.map((k): [string, string] => [k, k]),
  ];
  return (
    <dl className="ctx-meta">
      {entries.map(([name, label]) => {
        const value = fields[name];
        return (
          <div key={name} className="ctx-meta__row" data-field={name}>
            <dt className={extra.includes(name) ? 'ctx-meta__key ctx-meta__key--extra' : 'ctx-meta__key'}>{label}</dt>
            <dd className="ctx-meta__value">
              <FieldValue name={name} value={value} />
              {value !== null && value !== undefined && name !== 'status' && (
                <CopyButton text={asText(value)} label={`Copy ${label === name ? name : label.toLowerCase()}`} />
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function JsonSection({
  context: latest,
  rowSize,
  highlight,
}: {
  context: ExecutionContext | null;
  rowSize?: number;
  highlight?: SearchHighlight;
}) {
  // The JSON renders in a deferred pass: the drawer and its metadata paint first, and the
  // viewer's work on a multi-megabyte value (flattening, first lines) follows in its own
  // task instead of lengthening the one that opens the drawer.
  const context = useDeferredValue(latest, null);
  const value = context?.context;
  // The size comes from the list row (the server's count of the compact JSON's bytes);
  // measuring a 2 MB value here would cost a long task on every open.
  const size = value === null ? 0 : rowSize;
  return (
    <section className="ctx-json" aria-labelledby="ctx-json-title">
      <h3 id="ctx-json-title" className="ctx-json__title">
        Context
        {size !== undefined && <span className="ctx-json__size">{formatBytes(size)}</span>}
      </h3>
      {context === null ? (
        <div className="ctx-json__loading" aria-busy="true" aria-label="Loading the context JSON">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} width={`${30 + ((i * 37) % 60)}%`} />
          ))}
        </div>
      ) : value === null || value === undefined ? (
        <p className="ctx-json__null">
          This context holds no JSON (<code>null</code>).
        </p>
      ) : (
        // Keyed by version: a saved edit resets folds and search to the new document.
        <JsonViewer
          key={`${context.id}:${context.updated_at}`}
          value={value as JsonValue}
          initialSearch={highlight && 'text' in highlight ? highlight.text : undefined}
          revealPath={highlight && 'path' in highlight ? highlight.path : undefined}
        />
      )}
    </section>
  );
}

export function ContextDrawer({ id, row, onClose, actions, renderBody, returnFocusRef, highlight }: ContextDrawerProps) {
  // Keep the last id while the drawer animates closed, so its content does not blank out.
  const [shownId, setShownId] = useState(id);
  if (id !== null && id !== shownId) setShownId(id);
  const query = useExecutionContext(id);
  const wait = useReadWait(query.isFetching, query.failureReason);
  const data = query.data;
  const context = data?.context ?? null;
  const fields: Fields | null = context ?? (row?.id === shownId ? row : null) ?? null;

  const slot: ContextDrawerSlot | null = data ? { context: data.context, etag: data.etag, close: onClose } : null;
  const viewer = <JsonSection context={context} rowSize={row?.context_size} highlight={highlight} />;

  let body: ReactNode;
  if (query.isError && isNotFound(query.error)) {
    body = (
      <EmptyState
        title="Context not found"
        description={`${notFoundMessage(shownId ?? '')} It may have been deleted.`}
        headingLevel={3}
        compact
      />
    );
  } else if (query.isError && !fields) {
    body = (
      <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} headingLevel={3} compact />
    );
  } else {
    body = (
      <>
        {wait > 0 && <RateLimitNotice seconds={wait} />}
        {query.isError && (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} headingLevel={3} compact />
        )}
        {fields ? <Metadata fields={fields as Fields} /> : <MetadataSkeleton />}
        {slot && renderBody ? renderBody({ ...slot, viewer }) : viewer}
      </>
    );
  }

  return (
    <Drawer
      open={id !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={<span className="ctx-drawer__title">{shownId}</span>}
      description="Execution context"
      actions={slot && actions ? actions(slot) : undefined}
      width="xl"
      returnFocusRef={returnFocusRef}
      closeLabel="Close context"
      className="ctx-drawer"
    >
      {body}
    </Drawer>
  );
}

function MetadataSkeleton() {
  return (
    <div className="ctx-meta" aria-hidden="true">
      {KNOWN_FIELDS.map((k) => (
        <div key={k} className="ctx-meta__row">
          <Skeleton width={64} />
          <Skeleton width="50%" />
        </div>
      ))}
    </div>
  );
}
