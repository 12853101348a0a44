/**
 * Turns a delete request into concrete candidates before the confirmation may be given.
 * An explicit request already is one; an all-matching selection is resolved by walking
 * the list with its filters (cursor, read budget), with progress — nothing is deleted from
 * "all matching" as such, only from the ids this walk found.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { fetchContextsPage } from '@/features/contexts/api/list-contexts';
import type { ContextListFilters } from '@/features/contexts/filters';
import { describeError } from '@/components/ui';
import { resolveSelection, type ResolvedSelection, type ResolveProgress } from '../lib/selection';
import type { DeleteCandidate, DeleteRequest } from '../types';

export interface ResolvedCandidates {
  candidates: DeleteCandidate[];
  filters: ContextListFilters | null;
  lastIndex: number | null;
}

export type ResolutionState =
  | { status: 'resolving'; progress: ResolveProgress | null }
  | { status: 'error'; message: string }
  | ({ status: 'ready' } & ResolvedCandidates);

type SummaryRow = Awaited<ReturnType<typeof fetchContextsPage>>['data'][number];

/** Where a request starts: explicit ids are ready at once; "all matching" must be resolved. */
const startingState = (request: DeleteRequest | null): ResolutionState | null =>
  request === null
    ? null
    : request.kind === 'ids'
      ? { status: 'ready', candidates: request.candidates, filters: request.filters, lastIndex: request.lastIndex }
      : { status: 'resolving', progress: null };

export function useResolvedRequest(
  request: DeleteRequest | null,
  onResolved?: (resolved: ResolvedSelection<SummaryRow>) => void,
): { state: ResolutionState | null; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  // The dialog mounts with its request (it loads lazily), so the first one counts too.
  const [state, setState] = useState<ResolutionState | null>(() => startingState(request));
  const [forRequest, setForRequest] = useState<{ request: DeleteRequest | null; attempt: number }>({ request, attempt });

  // A new request (or a retry) starts over; derived during render, not in an effect, so the
  // dialog never shows the previous request's candidates for a frame.
  if (forRequest.request !== request || forRequest.attempt !== attempt) {
    setForRequest({ request, attempt });
    setState(startingState(request));
  }

  const notifyResolved = useEffectEvent((resolved: ResolvedSelection<SummaryRow>) => onResolved?.(resolved));

  useEffect(() => {
    if (request?.kind !== 'all_matching') return;
    const controller = new AbortController();
    const { selection } = request;
    resolveSelection<SummaryRow, ContextListFilters>(selection, {
      fetchPage: (after, signal) => fetchContextsPage(selection.filters, after, signal),
      signal: controller.signal,
      onProgress: (progress) => {
        if (!controller.signal.aborted) setState({ status: 'resolving', progress });
      },
    }).then(
      (resolved) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'ready',
          candidates: resolved.rows.map((row) => ({ id: row.id, status: row.status })),
          filters: selection.filters,
          // Position of the last row seen in the list: the backup walks that far at most.
          lastIndex: resolved.total - 1,
        });
        notifyResolved(resolved);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: describeError(error).message });
      },
    );
    return () => controller.abort();
  }, [request, attempt]);

  return { state, retry: () => setAttempt((n) => n + 1) };
}
