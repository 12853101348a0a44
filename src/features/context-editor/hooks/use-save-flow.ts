/**
 * The requests of the merge-style save, as a small state machine around the pure logic in
 * ../lib/save-flow.ts:
 *
 *   start → preparing (GET latest) → review | conflicts | unchanged
 *   conflicts → (choices) → review
 *   review → confirm → committing (PATCH, If-Match) → saved
 *                                                  → 412: preparing again (rebased)
 *
 * Failures stop the flow where they happened and say so: 429 waits out Retry-After with a
 * countdown and repeats the step by itself; a network failure keeps everything and offers
 * Retry; 400/403/404/413 end the attempt with the server's reason. Nothing here retries a
 * write silently after anything but a 429.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { removeContextsFromCaches, updateContextInCaches } from '@/features/contexts/api/cache';
import { contextQueryOptions, type ContextWithEtag } from '@/features/contexts/api/get-context';
import { useUpdateContext } from '@/features/contexts/api/update-context';
import { isApiError } from '@/lib/api-client';
import type { ConflictChoice, DocumentChange, MergeConflict } from '@/lib/merge-patch';
import {
  planResolved,
  planSave,
  rebase,
  toEditable,
  type Attempt,
  type EditableDoc,
  type SavePlan,
  type ServerVersion,
} from '../lib/save-flow';

type ReadyPlan = Extract<SavePlan, { kind: 'ready' }>;

/** Builds the attempt once the latest version is known (patch mode needs it). */
export type AttemptFactory = (latest: EditableDoc) => Attempt;

/** A step that can be repeated after a 429 or a network failure. */
export type Step =
  | { kind: 'prepare'; makeAttempt: AttemptFactory; rebased: boolean }
  | { kind: 'commit'; attempt: Attempt; plan: ReadyPlan };

export type FieldName = 'document' | 'session_id';

export type SaveFailure =
  /** 400: the server refused the body; messages by field. */
  | { kind: 'invalid'; message: string; fields: Partial<Record<FieldName, string>> }
  /** 403: this role may not write. */
  | { kind: 'forbidden'; message: string }
  /** 404: the context was deleted. */
  | { kind: 'gone'; message: string }
  /** 413: the document is over the server's body limit. */
  | { kind: 'too-large'; message: string; limitBytes?: number }
  /** The request never got an answer: keep the draft, offer Retry. */
  | { kind: 'network'; message: string }
  | { kind: 'other'; message: string };

export type SavePhase =
  | { kind: 'idle' }
  | { kind: 'preparing'; rebased: boolean }
  | { kind: 'review'; attempt: Attempt; plan: ReadyPlan; rebased: boolean }
  | { kind: 'unchanged'; latest: ServerVersion; rebased: boolean }
  | { kind: 'conflicts'; attempt: Attempt; latest: ServerVersion; conflicts: MergeConflict[]; rebased: boolean }
  | { kind: 'committing'; attempt: Attempt; plan: ReadyPlan }
  /** 429: the step runs again at `retryAt` (ms since the epoch). */
  | { kind: 'waiting'; retryAt: number; step: Step }
  /** `step` is what failed (a commit still has its reviewed plan to show). */
  | { kind: 'failed'; failure: SaveFailure; retryable: boolean; step: Step };

export interface SavedResult {
  saved: ContextWithEtag;
  changes: DocumentChange[];
}

export interface SaveFlow {
  phase: SavePhase;
  /** Fetch the latest version, merge, and show the diff (or the conflicts). */
  start: (makeAttempt: AttemptFactory) => void;
  /** Send the reviewed change. */
  confirm: () => void;
  /** Settle the conflicts and go to the review. */
  resolve: (choices: Readonly<Record<string, ConflictChoice>>) => void;
  /** Repeat the failed step (network failures). */
  retry: () => void;
  /** Back to editing: drops the plan, keeps the user's text. */
  reset: () => void;
}

const fieldOf = (field: string): FieldName => (field === 'session_id' || field.startsWith('session_id.') ? 'session_id' : 'document');

/** The 400 body's `details.issues` (server/errors.ts) by form field. */
function fieldMessages(details: Record<string, unknown> | undefined, fallback: string): Partial<Record<FieldName, string>> {
  const issues = Array.isArray(details?.issues) ? details.issues : [];
  const fields: Partial<Record<FieldName, string>> = {};
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { field, message } = issue as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || typeof message !== 'string') continue;
    const name = fieldOf(field);
    const text = message.includes(field) ? message : `${field}: ${message}`;
    fields[name] = fields[name] ? `${fields[name]}; ${text}` : text;
  }
  if (!fields.document && !fields.session_id) fields.document = fallback;
  return fields;
}

export interface UseSaveFlowOptions {
  contextId: string;
  /** The signed-in role, for the 403 explanation. */
  role: string | null;
  onSaved: (result: SavedResult) => void;
  /** The context was deleted (404): it has been removed from the lists. */
  onGone?: () => void;
}

export function useSaveFlow({ contextId, role, onSaved, onGone }: UseSaveFlowOptions): SaveFlow {
  const queryClient = useQueryClient();
  const { mutateAsync: patch } = useUpdateContext();
  const [phase, setPhase] = useState<SavePhase>({ kind: 'idle' });
  const lastStep = useRef<Step | null>(null);
  const run = useRef(0); // generation: answers of an abandoned run are ignored
  const abort = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Self-reference for the steps that schedule another step (412 → prepare, 429 → again).
  const executeRef = useRef<(step: Step) => Promise<void>>(async () => {});
  const callbacks = useRef({ onSaved, onGone, role });
  useEffect(() => {
    callbacks.current = { onSaved, onGone, role };
  });

  const stop = useCallback(() => {
    run.current++;
    abort.current?.abort();
    abort.current = null;
    clearTimeout(timer.current);
  }, []);
  useEffect(() => stop, [stop]);

  const execute = useCallback(
    async (step: Step): Promise<void> => {
      stop();
      const generation = run.current;
      const controller = new AbortController();
      abort.current = controller;
      const current = () => generation === run.current;
      lastStep.current = step;

      try {
        if (step.kind === 'prepare') {
          setPhase({ kind: 'preparing', rebased: step.rebased });
          // Through the query cache (never from it: staleTime 0), so that the app's handling of
          // an expired session (401) applies and the drawer shows the fresh copy. No retries
          // here: a 429 is waited out visibly below.
          const fetched = await queryClient.fetchQuery({ ...contextQueryOptions(contextId), staleTime: 0, retry: false });
          if (!current()) return;
          // The list rows show the fresh copy too.
          updateContextInCaches(queryClient, fetched.context, fetched.etag);
          if (fetched.etag === null) {
            setPhase({
              kind: 'failed',
              failure: { kind: 'other', message: 'The server did not send a version tag (ETag), so the save cannot be made safely.' },
              retryable: true,
              step,
            });
            return;
          }
          const latest: ServerVersion = { context: fetched.context, etag: fetched.etag };
          const attempt = step.makeAttempt(toEditable(latest.context));
          const plan = planSave(attempt, latest);
          if (plan.kind === 'ready') setPhase({ kind: 'review', attempt, plan, rebased: step.rebased });
          else if (plan.kind === 'unchanged') setPhase({ kind: 'unchanged', latest, rebased: step.rebased });
          else setPhase({ kind: 'conflicts', attempt, latest, conflicts: plan.conflicts, rebased: step.rebased });
          return;
        }

        setPhase({ kind: 'committing', attempt: step.attempt, plan: step.plan });
        const saved = await patch({ id: contextId, body: step.plan.body, ifMatch: step.plan.latest.etag, signal: controller.signal });
        if (!current()) return;
        lastStep.current = null;
        setPhase({ kind: 'idle' });
        callbacks.current.onSaved({ saved, changes: step.plan.changes });
      } catch (error) {
        if (!current() || controller.signal.aborted) return;
        if (!isApiError(error)) {
          setPhase({ kind: 'failed', failure: { kind: 'other', message: String(error) }, retryable: true, step });
          return;
        }
        if (error.status === 412 && step.kind === 'commit') {
          // Someone saved after we fetched: what the user reviewed becomes their change,
          // merged again into the newer version.
          const reviewed = rebase(step.plan.latest, step.plan.result);
          void executeRef.current({ kind: 'prepare', makeAttempt: () => reviewed, rebased: true });
          return;
        }
        if (error.status === 429) {
          const seconds = Math.max(1, error.retryAfterSeconds ?? 1);
          setPhase({ kind: 'waiting', retryAt: Date.now() + seconds * 1000, step });
          // The API client has paused the shared budget until then, so the repeat cannot
          // go out early even if this timer fires first.
          timer.current = setTimeout(() => {
            if (current()) void executeRef.current(step);
          }, seconds * 1000);
          return;
        }
        if (error.isNetworkError) {
          setPhase({ kind: 'failed', failure: { kind: 'network', message: error.message }, retryable: true, step });
          return;
        }
        switch (error.status) {
          case 400:
            setPhase({
              kind: 'failed',
              failure: { kind: 'invalid', message: error.message, fields: fieldMessages(error.details, error.message) },
              retryable: false,
              step,
            });
            return;
          case 403: {
            const who = callbacks.current.role ? `Your role (${callbacks.current.role})` : 'Your API key';
            setPhase({
              kind: 'failed',
              failure: {
                kind: 'forbidden',
                message: `${who} may view contexts but not change them: only editors and admins can save. Sign in with an editor key to edit.`,
              },
              retryable: false,
              step,
            });
            return;
          }
          case 404:
            removeContextsFromCaches(queryClient, [contextId]);
            setPhase({
              kind: 'failed',
              failure: {
                kind: 'gone',
                message: `Context ${contextId} no longer exists: it was deleted, perhaps by someone else. Your edits cannot be saved; copy them from the editor if you need them.`,
              },
              retryable: false,
              step,
            });
            callbacks.current.onGone?.();
            return;
          case 413: {
            const limit = typeof error.details?.limit_bytes === 'number' ? error.details.limit_bytes : undefined;
            setPhase({
              kind: 'failed',
              failure: {
                kind: 'too-large',
                message: `The document is larger than the server accepts${limit ? ` (${formatBytes(limit)})` : ''}. Remove some data and save again.`,
                limitBytes: limit,
              },
              retryable: false,
              step,
            });
            return;
          }
          default:
            setPhase({ kind: 'failed', failure: { kind: 'other', message: error.message }, retryable: true, step });
        }
      }
    },
    [contextId, patch, queryClient, stop],
  );
  useEffect(() => {
    executeRef.current = execute;
  }, [execute]);

  const start = useCallback(
    (makeAttempt: AttemptFactory) => void execute({ kind: 'prepare', makeAttempt, rebased: false }),
    [execute],
  );

  const confirm = useCallback(() => {
    if (phase.kind !== 'review') return;
    void execute({ kind: 'commit', attempt: phase.attempt, plan: phase.plan });
  }, [execute, phase]);

  const resolve = useCallback(
    (choices: Readonly<Record<string, ConflictChoice>>) => {
      if (phase.kind !== 'conflicts') return;
      const plan = planResolved(phase.attempt, phase.latest, choices);
      if (plan.kind === 'ready') {
        // The settled result is what the user wants now; a later 412 starts from it.
        setPhase({ kind: 'review', attempt: phase.attempt, plan, rebased: phase.rebased });
      } else if (plan.kind === 'unchanged') {
        setPhase({ kind: 'unchanged', latest: phase.latest, rebased: phase.rebased });
      }
    },
    [phase],
  );

  const retry = useCallback(() => {
    if (lastStep.current) void execute(lastStep.current);
  }, [execute]);

  const reset = useCallback(() => {
    stop();
    lastStep.current = null;
    setPhase({ kind: 'idle' });
  }, [stop]);

  return { phase, start, confirm, resolve, retry, reset };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
