/**
 * Component tests of editing in the drawer: the Edit control per role, validation, the
 * merge-style save against a fake server (msw) with ETags, every failure path, the merge
 * patch mode, drafts, the close guard and the precise cache update. Monaco cannot run in
 * jsdom: the editor and diff modules are replaced by textarea/pre stand-ins with the same
 * props (../testing/*-stand-in.tsx).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@contract/constants';
import { toSummary } from '@contract/summary';
import { LosslessNumber, parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import type { ErrorBody, ExecutionContext, JsonObject } from '@contract/types';
import { Drawer } from '@/components/ui';
import { contextKeys } from '@/features/contexts/api/keys';
import { useExecutionContext, type ContextWithEtag } from '@/features/contexts/api/get-context';
import { useContextsInfinite } from '@/features/contexts/api/list-contexts';
import { EMPTY_FILTERS } from '@/features/contexts/filters';
import { configureRateBudgets } from '@/lib/rate-limits';
import {
  contextListResponse,
  contextResponse,
  losslessContext,
  makeContext,
  makeContexts,
  readJsonBody,
  renderWithProviders,
  server,
  TEST_RATE_LIMITS,
} from '@/testing';
import { useContextEditor } from '../index';
import { draftKey, hasDraft } from '../lib/draft-storage';

vi.mock('./json-code-editor', () => import('../testing/json-code-editor-stand-in'));
vi.mock('./json-diff-view', () => import('../testing/json-diff-view-stand-in'));

const BASE = '/api/ai/execution-contexts';

/** The fake server's copy of one context, versioned like the real one. */
interface Stored {
  context: ExecutionContext;
  version: number;
}
let stored: Stored;
/** PATCH bodies as received: `body` in plain values (to compare), `text` exactly as sent. */
let requests: { list: number; get: number; patches: Array<{ ifMatch: string | null; body: unknown; text: string }> };

/** A lossless value as plain JavaScript, to compare with object literals. */
function pl(value: unknown): unknown {
  if (value instanceof LosslessNumber) return Number(value.value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, pl(v)]));
  if (Array.isArray(value)) return value.map(pl);
  return value;
}
/** The stored context as plain values. */
const storedPlain = () => pl(stored.context.context) as Record<string, unknown> | null;

const etag = (version: number) => `"v${version}"`;
const apiError = (status: number, code: ErrorBody['error']['code'], message: string, init: { headers?: HeadersInit; details?: Record<string, unknown> } = {}) =>
  HttpResponse.json<ErrorBody>(
    { error: init.details ? { code, message, details: init.details } : { code, message } },
    { status, headers: init.headers },
  );

/**
 * Another client saves: the stored context changes and its version goes up. `context` may
 * be a plain object literal or a lossless value (exact numbers).
 */
function otherClientSaves(change: { context?: unknown; session_id?: string | null }) {
  const next: ExecutionContext = { ...stored.context };
  if (change.context !== undefined) next.context = losslessContext(change.context);
  if (change.session_id !== undefined) next.session_id = change.session_id;
  stored = { context: next, version: stored.version + 1 };
}

function installServer(others: ExecutionContext[]) {
  server.use(
    http.get(BASE, () => {
      requests.list += 1;
      return contextListResponse({ data: [stored.context, ...others].map(toSummary), has_more: false, next_cursor: null });
    }),
    http.get(`${BASE}/:id`, ({ params }) => {
      requests.get += 1;
      if (params.id !== stored.context.id) return apiError(404, 'not_found', `execution context ${String(params.id)} not found`);
      return contextResponse(stored.context, { headers: { ETag: etag(stored.version) } });
    }),
    http.patch(`${BASE}/:id`, async ({ request }) => {
      // Read as the server reads it: losslessly (the exact text is kept too).
      const text = await request.clone().text();
      const body = await readJsonBody(request);
      const ifMatch = request.headers.get('If-Match');
      requests.patches.push({ ifMatch, body: pl(body), text });
      if (ifMatch !== etag(stored.version)) {
        return apiError(412, 'precondition_failed', 'the context has changed', {
          headers: { ETag: etag(stored.version) },
          details: { current_etag: etag(stored.version) },
        });
      }
      const next: ExecutionContext = { ...stored.context, updated_at: '2026-11-22T12:00:00.000Z' };
      const context = body.get('context');
      const session = body.get('session_id');
      if (context !== undefined) next.context = context as JsonObject | null;
      if (session !== undefined) next.session_id = session as string | null;
      stored = { context: next, version: stored.version + 1 };
      return contextResponse(stored.context, { headers: { ETag: etag(stored.version) } });
    }),
  );
}

/**
 * The browse screen as the editor sees it: a loaded list, and the UI kit's drawer with
 * the same extension points as features/contexts' ContextDrawer (actions and body slots,
 * "Close context").
 */
function Harness({ id, onClose = () => {} }: { id: string; onClose?: () => void }) {
  const list = useContextsInfinite(EMPTY_FILTERS);
  const { data } = useExecutionContext(id);
  const editor = useContextEditor();
  const [open, setOpen] = useState(true);
  const close = () => {
    setOpen(false);
    onClose();
  };
  const slot = data ? { context: data.context, etag: data.etag, close } : null;
  const viewer = data ? <pre aria-label="Read-only JSON">{stringifyJson(data.context.context)}</pre> : null;
  return (
    <>
      <ul aria-label="Rows">
        {list.data?.rows.map((row) => (
          <li key={row.id}>
            {row.id}: {row.context_preview}
          </li>
        ))}
      </ul>
      <Drawer
        open={open}
        onOpenChange={(next) => {
          if (!next) close();
        }}
        title={id}
        actions={slot ? editor.drawerActions(slot) : undefined}
        closeLabel="Close context"
      >
        {slot ? editor.renderDrawerBody({ ...slot, viewer }) : viewer}
      </Drawer>
    </>
  );
}

/** The list behind the modal drawer (hidden from the accessibility tree while it is open). */
const rows = (): HTMLElement => {
  const list = document.querySelector<HTMLElement>('ul[aria-label="Rows"]');
  if (!list) throw new Error('the list is not rendered');
  return list;
};

async function setup(role: Role = 'editor', options: { onClose?: () => void } = {}) {
  const view = renderWithProviders(<Harness id={stored.context.id} onClose={options.onClose} />, { role });
  await screen.findByLabelText('Read-only JSON');
  await waitFor(() => expect(rows()).toHaveTextContent(`${stored.context.id}:`));
  // The drawer's editing pieces are a lazy chunk: let it arrive and render.
  await act(async () => {
    await import('./editing-slots');
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return view;
}

async function openEditor(user: ReturnType<typeof renderWithProviders>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Edit' }));
  // The first open loads the lazy chunk (transformed on demand under Vitest: slow).
  return (await screen.findByRole('textbox', { name: 'Context JSON' }, { timeout: 10_000 })) as HTMLTextAreaElement;
}

/** Replaces the editor's text, as typing would (the stand-in is uncontrolled like Monaco). */
function typeInto(editor: HTMLTextAreaElement, text: string) {
  fireEvent.change(editor, { target: { value: text } });
}

const withProgress = (progress: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...(storedPlain() ?? {}), progress, ...extra }, null, 2); // fidelity-ok: plain test data

const savedToast = () => new RegExp(`^Saved ${stored.context.id}:`);
const saveButton = () => screen.getByRole('button', { name: 'Save' });

beforeEach(() => {
  // Unlimited client budgets (as the test session reports): this file makes more reads
  // than the seeds' 100 per minute, and the 429 test pauses the write budget.
  configureRateBudgets(TEST_RATE_LIMITS);
  // No resetFactories(): every test gets new ids, so a toast left over from an earlier
  // test (sonner's store is global) can never satisfy this test's assertions.
  sessionStorage.clear();
  stored = {
    context: makeContext({ session_id: 'session_1', context: { current_step: 'processing', progress: 75, results: { analyzed_documents: 10 } } }),
    version: 1,
  };
  requests = { list: 0, get: 0, patches: [] };
  installServer(makeContexts(3));
});

afterEach(() => {
  sessionStorage.clear();
  vi.useRealTimers();
});

describe('the Edit control', () => {
  it('is not offered to viewers', async () => {
    await setup('viewer');
    expect(screen.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('opens the editor with the context pretty-printed and the session_id for editors and admins', async () => {
    for (const role of ['editor', 'admin'] as const) {
      const { user, unmount } = await setup(role);
      const editor = await openEditor(user);
      expect(editor.value).toBe(stringifyJson(stored.context.context, 2));
      expect(screen.getByRole('textbox', { name: 'session_id' })).toHaveValue('session_1');
      expect(saveButton()).toBeDisabled(); // nothing changed yet
      unmount();
    }
  });
});

describe('validation', () => {
  it('disables Save while the JSON does not parse, and says where the error is', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, '{\n  "progress": 90,\n}');
    expect(await screen.findByText(/Line 2, column 17: Trailing comma is not allowed/)).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Go to line 2' }));
    expect(editor.selectionStart).toBe('{\n'.length + 16);

    typeInto(editor, '{\n  "progress": 90\n}');
    await waitFor(() => expect(saveButton()).toBeEnabled());
    expect(screen.queryByText(/Trailing comma/)).not.toBeInTheDocument();
  });

  it('disables Save when the document is not an object or null', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, '[1, 2]');
    expect(await screen.findByText(/The context must be a JSON object or null, not an array/)).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
    typeInto(editor, 'null');
    await waitFor(() => expect(saveButton()).toBeEnabled());
  });

  it('checks session_id with the contract rule', async () => {
    const { user } = await setup();
    await openEditor(user);
    const session = screen.getByRole('textbox', { name: 'session_id' });
    await user.clear(session);
    await user.click(session);
    await user.paste('s'.repeat(201));
    expect(await screen.findByText('session_id can be at most 200 characters.')).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
  });
});

describe('saving', () => {
  it('fetches the latest, shows the diff, and PATCHes with If-Match; caches updated in place without refetching the list', async () => {
    const { user, queryClient } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90));
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());

    const review = await screen.findByRole('region', { name: /Review: 1 key changed/ });
    expect(within(review).getByRole('list', { name: 'Changed keys' })).toHaveTextContent('changedprogress');
    expect(within(review).getByLabelText('Context on the server now (v1)')).toHaveTextContent('"progress": 75');
    expect(within(review).getByLabelText('Context after your save')).toHaveTextContent('"progress": 90');
    expect(requests.patches).toHaveLength(0); // nothing is sent before the confirmation

    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    expect(await screen.findByText(`Saved ${stored.context.id}: 1 key changed`)).toBeInTheDocument();
    expect(requests.patches).toEqual([
      {
        ifMatch: '"v1"',
        body: { context: { current_step: 'processing', progress: 90, results: { analyzed_documents: 10 } } },
        text: '{"context":{"current_step":"processing","progress":90,"results":{"analyzed_documents":10}}}',
      },
    ]);

    // Back to the read-only view, showing the saved version.
    expect(await screen.findByLabelText('Read-only JSON')).toHaveTextContent('"progress":90');
    expect(queryClient.getQueryData<ContextWithEtag>(contextKeys.detail(stored.context.id))).toEqual({
      context: stored.context,
      etag: '"v2"',
    });
    // The loaded list row changed in place; the list was requested once, at the start.
    expect(rows()).toHaveTextContent(`${stored.context.id}: {"current_step":"processing","progress":90`);
    expect(requests.list).toBe(1);
    expect(hasDraft(stored.context.id)).toBe(false);
  });

  it('saves with Ctrl+S', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(91));
    editor.focus();
    await user.keyboard('{Control>}s{/Control}');
    expect(await screen.findByRole('region', { name: /Review/ })).toBeInTheDocument();
  });

  it('sends a changed session_id as session_id, and an emptied one as null', async () => {
    const { user } = await setup();
    await openEditor(user);
    await user.clear(screen.getByRole('textbox', { name: 'session_id' }));
    await user.click(saveButton());
    const review = await screen.findByRole('region', { name: /Review: session_id changed/ });
    expect(within(review).getByText('The context document itself does not change.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(`Saved ${stored.context.id}: session_id changed`);
    expect(requests.patches[0]?.body).toEqual({ session_id: null });
  });

  it('merges a different key changed by someone else since opening: both survive', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90));
    otherClientSaves({ context: { ...storedPlain(), current_step: 'validation' } });
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    await screen.findByRole('region', { name: /Review: 1 key changed/ });
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(requests.patches[0]?.ifMatch).toBe('"v2"');
    expect(storedPlain()).toEqual({ current_step: 'validation', progress: 90, results: { analyzed_documents: 10 } });
  });
});

describe('412: someone saved between the review and the confirmation', () => {
  it('disjoint keys: merges again, shows the new diff, then saves both changes', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90));
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    await screen.findByRole('region', { name: /Review/ });

    otherClientSaves({ context: { ...storedPlain(), current_step: 'validation' } });
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));

    expect(await screen.findByText('Someone else saved v2 while you were working')).toBeInTheDocument();
    const review = screen.getByRole('region', { name: /Review/ });
    expect(within(review).getByLabelText('Context after your save')).toHaveTextContent('"current_step": "validation"');
    expect(within(review).getByLabelText('Context after your save')).toHaveTextContent('"progress": 90');
    expect(requests.patches).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(requests.patches.map((p) => p.ifMatch)).toEqual(['"v1"', '"v2"']);
    expect(storedPlain()).toEqual({ current_step: 'validation', progress: 90, results: { analyzed_documents: 10 } });
  });

  it('the same key: shows the conflict, and the user choice is what lands', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90, { note: 'mine' }));
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    await screen.findByRole('region', { name: /Review/ });

    otherClientSaves({ context: { ...storedPlain(), progress: 80 } });
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));

    const conflicts = await screen.findByRole('region', { name: 'Resolve 1 conflict' });
    const item = within(conflicts).getByRole('group', { name: 'progress' });
    expect(item).toHaveTextContent('Before75');
    expect(item).toHaveTextContent('Yours90');
    expect(item).toHaveTextContent('Theirs (v2)80');
    // Nothing is chosen for the user.
    const next = screen.getByRole('button', { name: 'Review merged result' });
    expect(next).toBeDisabled();

    await user.click(within(item).getByRole('radio', { name: 'Keep theirs' }));
    await user.click(next);
    const review = await screen.findByRole('region', { name: /Review: 1 key changed/ });
    expect(within(review).getByLabelText('Context after your save')).toHaveTextContent('"progress": 80');
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(requests.patches.at(-1)?.ifMatch).toBe('"v2"');
    expect(storedPlain()).toEqual({ current_step: 'processing', progress: 80, results: { analyzed_documents: 10 }, note: 'mine' });
  });

  it('a conflict found when fetching the latest is shown before any diff; "Keep mine" lands', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90));
    otherClientSaves({ context: { ...storedPlain(), progress: 80 } });
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    const conflicts = await screen.findByRole('region', { name: 'Resolve 1 conflict' });
    await user.click(within(conflicts).getByRole('button', { name: 'Keep all mine' }));
    await user.click(screen.getByRole('button', { name: 'Review merged result' }));
    await user.click(await screen.findByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(storedPlain()).toMatchObject({ progress: 90 });
  });
});

describe('failures', () => {
  async function reachReview(user: ReturnType<typeof renderWithProviders>['user']) {
    const editor = await openEditor(user);
    typeInto(editor, withProgress(90));
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    await screen.findByRole('region', { name: /Review/ });
    return editor;
  }

  it('400: shows the server message by the field it names', async () => {
    const { user } = await setup();
    server.use(
      http.patch(`${BASE}/:id`, () =>
        apiError(400, 'invalid_body', 'invalid request body: session_id: Too small', {
          details: { fields: ['session_id'], issues: [{ field: 'session_id', message: 'Too small: expected string to have >=1 characters' }] },
        }),
      ),
    );
    await reachReview(user);
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    const session = await screen.findByRole('textbox', { name: 'session_id' });
    expect(session).toHaveAccessibleDescription('session_id: Too small: expected string to have >=1 characters');
    expect(screen.getByText('The server refused the change')).toBeInTheDocument();
  });

  it('403: explains that the role may not edit', async () => {
    const { user } = await setup();
    server.use(http.patch(`${BASE}/:id`, () => apiError(403, 'forbidden', 'this API key may not update contexts')));
    await reachReview(user);
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    expect(await screen.findByText("You can't edit contexts")).toBeInTheDocument();
    expect(screen.getByText(/Your role \(editor\) may view contexts but not change them/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Confirm save' })).toBeDisabled();
  });

  it('404: says the context is gone and removes it from the loaded list', async () => {
    const { user } = await setup();
    const id = stored.context.id;
    await reachReview(user);
    // Someone deletes it before the confirmation.
    const gone = ({ params }: { params: Record<string, unknown> }) =>
      apiError(404, 'not_found', `execution context ${String(params.id)} not found`);
    server.use(http.patch(`${BASE}/:id`, gone), http.get(`${BASE}/:id`, gone));
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    expect(await screen.findByText(`Context ${id} no longer exists`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy my edits' })).toBeInTheDocument();
    await waitFor(() => expect(rows()).not.toHaveTextContent(id));
    expect(requests.list).toBe(1);
    expect(hasDraft(id)).toBe(false);
  });

  it('429: waits out Retry-After with a visible countdown, then retries by itself', async () => {
    const { user } = await setup();
    server.use(
      http.patch(`${BASE}/:id`, () => apiError(429, 'rate_limited', 'too many requests', { headers: { 'Retry-After': '1' } }), { once: true }),
    );
    await reachReview(user);
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    expect(await screen.findByText("The server's rate limit was reached")).toBeInTheDocument();
    expect(screen.getByText(/Saving again automatically in/)).toHaveTextContent('in 1 s');
    expect(await screen.findByText(savedToast(), {}, { timeout: 4000 })).toBeInTheDocument();
    expect(requests.patches).toHaveLength(1); // the 429 answer came from the override
    expect(storedPlain()).toMatchObject({ progress: 90 });
  });

  it('network failure: keeps the draft and offers Retry', async () => {
    const { user } = await setup();
    server.use(http.patch(`${BASE}/:id`, () => HttpResponse.error(), { once: true }));
    await reachReview(user);
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    expect(await screen.findByText("Couldn't reach the server")).toBeInTheDocument();
    await waitFor(() => expect(hasDraft(stored.context.id)).toBe(true));
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByText(savedToast());
    expect(storedPlain()).toMatchObject({ progress: 90 });
  });
});

describe('Apply merge patch mode', () => {
  it('applies a partial object to the latest version; null removes a key', async () => {
    const { user } = await setup();
    await openEditor(user);
    await user.click(screen.getByRole('tab', { name: 'Apply merge patch' }));
    const patch = (await screen.findByRole('textbox', { name: 'Merge patch JSON' })) as HTMLTextAreaElement;
    expect(saveButton()).toBeDisabled(); // the empty patch changes nothing
    typeInto(patch, '{"progress": 90, "current_step": "validation", "results": null}');
    otherClientSaves({ context: { ...storedPlain(), extra: true } });
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    const review = await screen.findByRole('region', { name: /Review: 3 keys changed/ });
    expect(within(review).getByRole('list', { name: 'Changed keys' })).toHaveTextContent('removedresults');
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(`Saved ${stored.context.id}: 3 keys changed`);
    expect(requests.patches[0]?.ifMatch).toBe('"v2"');
    expect(storedPlain()).toEqual({ current_step: 'validation', progress: 90, extra: true });
  });

  it('refuses a patch that is not an object', async () => {
    const { user } = await setup();
    await openEditor(user);
    await user.click(screen.getByRole('tab', { name: 'Apply merge patch' }));
    typeInto(await screen.findByRole('textbox', { name: 'Merge patch JSON' }), '[1]');
    expect(await screen.findByText(/A merge patch must be a JSON object or null, not an array/)).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
  });
});

describe('drafts and leaving', () => {
  it('keeps an unsaved draft across a reload and restores it with a notice; Discard goes back', async () => {
    const first = await setup();
    const editor = await openEditor(first.user);
    typeInto(editor, withProgress(42));
    await waitFor(() => expect(sessionStorage.getItem(draftKey(stored.context.id, '"v1"'))).not.toBeNull());
    expect(sessionStorage.getItem(draftKey(stored.context.id, '"v1"'))).not.toMatch(/key/i);
    first.unmount(); // a reload: nothing survives but sessionStorage

    const second = await setupWithoutWaiting();
    expect(await screen.findByText('Restored your unsaved draft')).toBeInTheDocument();
    const restored = (await screen.findByRole('textbox', { name: 'Context JSON' }, { timeout: 10_000 })) as HTMLTextAreaElement;
    expect(restored.value).toContain('"progress": 42');

    await second.user.click(screen.getByRole('button', { name: 'Discard draft' }));
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Context JSON' }) as HTMLTextAreaElement).value).toContain('"progress": 75'),
    );
    expect(screen.queryByText('Restored your unsaved draft')).not.toBeInTheDocument();
    expect(hasDraft(stored.context.id)).toBe(false);
  });

  it('asks before closing the drawer with unsaved edits (close button and Escape)', async () => {
    const onClose = vi.fn();
    const { user } = await setup('editor', { onClose });
    const editor = await openEditor(user);
    typeInto(editor, withProgress(1));
    await waitFor(() => expect(hasDraft(stored.context.id)).toBe(true));

    await user.click(screen.getByRole('button', { name: 'Close context' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Discard your unsaved edits?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('textbox', { name: 'Context JSON' })).toBeInTheDocument();

    const overlay = document.querySelector<HTMLElement>('.ui-overlay');
    if (!overlay) throw new Error('no overlay');
    await user.click(overlay);
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Keep editing' }));
    expect(onClose).not.toHaveBeenCalled();

    await user.click(screen.getByRole('textbox', { name: 'session_id' }));
    await user.keyboard('{Escape}');
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard and close' }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(hasDraft(stored.context.id)).toBe(false);
  });

  it('closes at once without unsaved edits', async () => {
    const onClose = vi.fn();
    const { user } = await setup('editor', { onClose });
    await openEditor(user);
    await user.click(screen.getByRole('button', { name: 'Close context' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('Cancel leaves the editor, asking first when there are edits', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, withProgress(5));
    await waitFor(() => expect(hasDraft(stored.context.id)).toBe(true));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard edits' }));
    expect(await screen.findByLabelText('Read-only JSON')).toHaveTextContent('"progress":75');
    expect(hasDraft(stored.context.id)).toBe(false);
    // Edit again starts from the version on screen, not from the discarded text.
    const again = await openEditor(user);
    expect(again.value).toContain('"progress": 75');
  });

  it('asks before leaving the page with unsaved edits (beforeunload)', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    const clean = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(clean);
    expect(clean.defaultPrevented).toBe(false);
    typeInto(editor, withProgress(3));
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const dirty = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(dirty);
    expect(dirty.defaultPrevented).toBe(true);
  });
});

/** Renders without waiting for the read-only view (a restored draft opens the editor). */
async function setupWithoutWaiting() {
  const view = renderWithProviders(<Harness id={stored.context.id} />, { role: 'editor' });
  await waitFor(() => expect(rows()).toHaveTextContent(`${stored.context.id}:`));
  return view;
}

describe('fidelity', () => {
  const exact = (text: string) => parseJsonText(text).value as JsonObject;

  it('opens the stored text exactly, and a merge keeps every number — the other client\'s big one included', async () => {
    stored = {
      context: makeContext({ session_id: 'session_1', context: exact('{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","progress":75}') }),
      version: 1,
    };
    const { user } = await setup();
    const editor = await openEditor(user);
    expect(editor.value).toBe('{\n  "id_big": 750727362669608961,\n  "price": 1.10,\n  "10": "ten",\n  "2": "two",\n  "progress": 75\n}');
    typeInto(editor, editor.value.replace('"progress": 75', '"progress": 90'));
    otherClientSaves({ context: exact('{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","progress":75,"added":9223372036854775807}') });
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    const review = await screen.findByRole('region', { name: /Review: 1 key changed/ });
    expect(within(review).getByLabelText('Context after your save')).toHaveTextContent('"added": 9223372036854775807');
    await user.click(screen.getByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(requests.patches[0]?.text).toBe(
      '{"context":{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","progress":90,"added":9223372036854775807}}',
    );
    expect(stringifyJson(stored.context.context)).toBe(
      '{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","progress":90,"added":9223372036854775807}',
    );
  });

  it('keeps Save disabled while a key appears twice, and says why', async () => {
    const { user } = await setup();
    const editor = await openEditor(user);
    typeInto(editor, '{\n  "progress": 90,\n  "progress": 91\n}');
    expect(await screen.findByText(/Line 3, column 3: Duplicate key "progress" at \$\.progress/)).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
    expect(saveButton()).toHaveAccessibleDescription(/Save is disabled: a key appears twice in one object \(line 3\)/);
    typeInto(editor, '{\n  "progress": 90\n}');
    await waitFor(() => expect(saveButton()).toBeEnabled());
    expect(saveButton()).not.toHaveAccessibleDescription();
  });

  it('applies a merge patch without touching the members it does not name', async () => {
    stored = { context: makeContext({ context: exact('{"id_big":750727362669608961,"price":1.10,"progress":75}') }), version: 1 };
    const { user } = await setup();
    await openEditor(user);
    await user.click(screen.getByRole('tab', { name: 'Apply merge patch' }));
    typeInto(await screen.findByRole('textbox', { name: 'Merge patch JSON' }), '{"progress": 1.50, "big": 9007199254740993}');
    await waitFor(() => expect(saveButton()).toBeEnabled());
    await user.click(saveButton());
    await user.click(await screen.findByRole('button', { name: 'Confirm save' }));
    await screen.findByText(savedToast());
    expect(stringifyJson(stored.context.context)).toBe('{"id_big":750727362669608961,"price":1.10,"progress":1.50,"big":9007199254740993}');
  });
});
