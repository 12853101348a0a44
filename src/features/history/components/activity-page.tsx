/**
 * "Activity" (admins): the audit log, newest first, with its filters in the URL
 * (`/activity?actor=key_…&action=context.deleted&context_id=…&since=…&until=…`).
 */
import { useRef, type FormEvent } from 'react';
import { Link } from 'wouter';
import { AUDIT_ACTIONS, type AuditAction } from '@contract/accountability';
import type { AuditEvent } from '@contract/accountability-types';
import { Page, PageHeader } from '@/components/layout';
import { Badge, Button, EmptyState, ErrorState, RelativeTime, Select, Spinner, TextField } from '@/components/ui';
import { useApiKeys } from '@/features/api-keys/api/list-keys';
import '@/styles/admin-pages.css';
import { useAuditEvents } from '../api/list-audit-events';
import { toRfc3339 } from '../lib/url-filters';
import { useUrlFilters } from '../lib/use-url-filters';

const FILTERS = ['actor', 'action', 'context_id', 'since', 'until'] as const;

/** Human labels of the audit actions. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'context.created': 'Context created',
  'context.updated': 'Context updated',
  'context.deleted': 'Context deleted',
  'context.restored': 'Version restored',
  'context.undeleted': 'Deleted context restored',
  'context.erased': 'Context erased',
  'session.signed_in': 'Signed in',
  'session.sign_in_failed': 'Sign-in failed',
  'key.created': 'Key created',
  'key.revoked': 'Key revoked',
};

function describeDetails(event: AuditEvent): string {
  return Object.entries(event.details)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(', ');
}

export function ActivityPage() {
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const keys = useApiKeys();
  const query = {
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action && (AUDIT_ACTIONS as readonly string[]).includes(filters.action) ? { action: filters.action } : {}),
    ...(filters.context_id ? { context_id: filters.context_id } : {}),
    ...(toRfc3339(filters.since) ? { since: toRfc3339(filters.since) } : {}),
    ...(toRfc3339(filters.until) ? { until: toRfc3339(filters.until) } : {}),
  };
  const events = useAuditEvents(query);
  const form = useRef<HTMLFormElement>(null);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setFilters(Object.fromEntries(FILTERS.map((name) => [name, String(data.get(name) ?? '')])));
  };

  const rows = events.data?.pages.flatMap((page) => page.data) ?? [];
  // A new form (inputs reset to the URL's values) whenever the filters change.
  const formKey = JSON.stringify(filters); // fidelity-ok: the filter strings, no context
  return (
    <Page>
      <PageHeader title="Activity" description="Every change, sign-in and key change, newest first. Content is never recorded here." />
      <form ref={form} className="admin-filters" aria-label="Activity filters" onSubmit={apply} key={formKey}>
        <Select
          label="Actor"
          name="actor"
          defaultValue={filters.actor ?? ''}
          options={[
            { value: '', label: 'Anyone' },
            ...(keys.data ?? []).map((key) => ({ value: key.id, label: `${key.name} (${key.role})` })),
            ...(filters.actor && !keys.data?.some((key) => key.id === filters.actor) ? [{ value: filters.actor, label: filters.actor }] : []),
          ]}
        />
        <Select
          label="Action"
          name="action"
          defaultValue={filters.action ?? ''}
          options={[{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((action) => ({ value: action, label: AUDIT_ACTION_LABELS[action] }))]}
        />
        <TextField label="Context id" name="context_id" defaultValue={filters.context_id ?? ''} />
        <TextField label="Since" name="since" type="date" defaultValue={filters.since ?? ''} />
        <TextField label="Until" name="until" type="date" defaultValue={filters.until ?? ''} />
        <Button type="submit">Apply filters</Button>
      </form>
      {events.isPending ? (
        <Spinner label="Loading activity" />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} retrying={events.isFetching} />
      ) : rows.length === 0 ? (
        <EmptyState title="No activity matches" description="Change or clear the filters." />
      ) : (
        <>
          <table className="data-table">
            <caption className="sr-only">Activity</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Who</th>
                <th scope="col">Context</th>
                <th scope="col">Client address</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id}>
                  <td>
                    <RelativeTime date={event.at} />
                  </td>
                  <td>{AUDIT_ACTION_LABELS[event.action]}</td>
                  <td>
                    {event.actor ? (
                      <>
                        {event.actor.name} <Badge tone="neutral">{event.actor.role}</Badge>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {event.context_id ? (
                      <Link href={`/contexts?context=${encodeURIComponent(event.context_id)}`}>{event.context_id}</Link>
                    ) : (
                      '—'
                    )}
                    {event.version !== null && ` (v${event.version})`}
                  </td>
                  <td>{event.client_ip ?? '—'}</td>
                  <td>{describeDetails(event)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.hasNextPage && (
            <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </>
      )}
    </Page>
  );
}
