import { LosslessNumber, parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import type { ExecutionContext } from '@contract/types';
import { describe, expect, it } from 'vitest';
import { losslessContext } from '@/testing/factories';
import {
  attemptChanges,
  bodyFor,
  describePath,
  documentAttempt,
  patchAttempt,
  planResolved,
  planSave,
  previewValue,
  rebase,
  summarizeChanges,
  toEditable,
  type EditableDoc,
  type ServerVersion,
} from './save-flow';

/** Plain test data: contexts are written as object literals and become lossless values. */
type Plain = unknown;

/** A plan (or any result) with lossless values turned back into plain ones, to compare. */
function pl(value: unknown): unknown {
  if (value instanceof LosslessNumber) return Number(value.value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, pl(v)]));
  if (Array.isArray(value)) return value.map(pl);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pl(v)]));
  return value;
}

const version = (n: number, plainContext: Plain, session_id: string | null = 's1'): ServerVersion => ({
  etag: `"v${n}"`,
  context: {
    id: 'ctx_1',
    agent_id: 'agent',
    workflow_id: null,
    session_id,
    context: losslessContext(plainContext),
    status: 'idle',
    created_at: '2026-11-22T10:00:00.000Z',
    updated_at: '2026-11-22T10:00:00.000Z',
  } satisfies ExecutionContext,
});

const doc = (context: Plain, session_id: string | null = 's1'): EditableDoc => ({ context: losslessContext(context), session_id });

describe('planSave (document mode)', () => {
  const baseContext = { current_step: 'processing', progress: 75, notes: { a: 1 } };
  const base = doc(baseContext);

  it('sends the user change when nobody else saved', () => {
    const attempt = documentAttempt(base, doc({ current_step: 'processing', progress: 90, notes: { a: 1 } }));
    const plan = planSave(attempt, version(1, baseContext));
    expect(pl(plan)).toMatchObject({
      kind: 'ready',
      body: { context: { current_step: 'processing', progress: 90, notes: { a: 1 } } },
      result: { session_id: 's1' },
    });
    if (plan.kind !== 'ready') return;
    expect(plan.body).not.toHaveProperty('session_id');
    expect(plan.changes.map((c) => c.pointer)).toEqual(['/context/progress']);
  });

  it('keeps both changes when another client changed a different key', () => {
    const attempt = documentAttempt(base, doc({ current_step: 'processing', progress: 90, notes: { a: 1 } }));
    const latest = version(2, { current_step: 'validation', progress: 75, notes: { a: 1 } });
    const plan = planSave(attempt, latest);
    expect(pl(plan)).toMatchObject({
      kind: 'ready',
      result: { context: { current_step: 'validation', progress: 90, notes: { a: 1 } } },
    });
    // The diff the user reviews is against the latest: only their own change shows.
    if (plan.kind === 'ready') expect(plan.changes.map((c) => c.pointer)).toEqual(['/context/progress']);
  });

  it('reports a conflict when both changed the same key differently, and resolves by choice', () => {
    const attempt = documentAttempt(base, doc({ current_step: 'processing', progress: 90, notes: { a: 1 } }));
    const latest = version(2, { current_step: 'processing', progress: 80, notes: { a: 2 } });
    const plan = planSave(attempt, latest);
    expect(plan.kind).toBe('conflicts');
    if (plan.kind !== 'conflicts') return;
    expect(pl(plan.conflicts)).toEqual([
      expect.objectContaining({ pointer: '/context/progress', base: 75, mine: 90, theirs: 80 }),
    ]);
    const mine = planResolved(attempt, latest, { '/context/progress': 'mine' });
    expect(pl(mine)).toMatchObject({ kind: 'ready', result: { context: { progress: 90, notes: { a: 2 } } } });
    const theirs = planResolved(attempt, latest, { '/context/progress': 'theirs' });
    // Keeping theirs leaves nothing of the user's to send.
    expect(theirs.kind).toBe('unchanged');
    expect(() => planResolved(attempt, latest, {})).toThrow(/Unresolved/);
  });

  it('treats the same change on both sides as no conflict and nothing to send', () => {
    const attempt = documentAttempt(base, doc({ ...baseContext, progress: 90 }));
    expect(planSave(attempt, version(2, { ...baseContext, progress: 90 })).kind).toBe('unchanged');
  });

  it('keeps a value the user set to null (a merge patch could only remove it)', () => {
    const attempt = documentAttempt(base, doc({ ...baseContext, error: null }));
    const plan = planSave(attempt, version(1, baseContext));
    expect(pl(plan)).toMatchObject({ kind: 'ready', body: { context: { error: null } } });
  });

  it('merges session_id like any other field', () => {
    const attempt = documentAttempt(base, doc(baseContext, 's2'));
    const plan = planSave(attempt, version(2, { ...baseContext, progress: 80 }));
    expect(pl(plan)).toMatchObject({ kind: 'ready', body: { session_id: 's2' } });
    if (plan.kind === 'ready') expect(plan.body).not.toHaveProperty('context');

    const cleared = planSave(documentAttempt(base, doc(baseContext, null)), version(1, baseContext));
    expect(pl(cleared)).toMatchObject({ kind: 'ready', body: { session_id: null } });

    const clash = planSave(attempt, version(2, baseContext, 's3'));
    expect(pl(clash)).toMatchObject({ kind: 'conflicts', conflicts: [{ pointer: '/session_id', mine: 's2', theirs: 's3' }] });
  });

  it('conflicts when the other side cleared the context the user edited inside', () => {
    const attempt = documentAttempt(base, doc({ ...baseContext, progress: 90 }));
    const plan = planSave(attempt, version(2, null));
    expect(pl(plan)).toMatchObject({ kind: 'conflicts', conflicts: [{ pointer: '/context', theirs: null }] });
    expect(pl(planResolved(attempt, version(2, null), { '/context': 'mine' }))).toMatchObject({
      kind: 'ready',
      body: { context: { ...baseContext, progress: 90 } },
    });
  });
});

describe('fidelity', () => {
  it('a concurrent big number and every untouched spelling survive the merge; the body keeps them exactly', () => {
    const stored = parseJsonText('{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","step":"a"}').value;
    const base = doc(stored);
    const mine = doc(parseJsonText('{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","step":"b"}').value);
    const latest = version(2, parseJsonText('{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","step":"a","added":9223372036854775807}').value);
    const plan = planSave(documentAttempt(base, mine), latest);
    expect(plan.kind).toBe('ready');
    if (plan.kind !== 'ready') return;
    expect(stringifyJson(plan.body.context ?? null)).toBe(
      '{"id_big":750727362669608961,"price":1.10,"10":"ten","2":"two","step":"b","added":9223372036854775807}',
    );
    expect(plan.changes.map((c) => c.pointer)).toEqual(['/context/step']);
  });
});

describe('412: rebase and merge again', () => {
  it('carries the reviewed result (with resolved choices) over to the newer version', () => {
    const base = doc({ a: 1, b: 1, c: 1 });
    const attempt = documentAttempt(base, doc({ a: 2, b: 2, c: 1 }));
    const v2 = version(2, { a: 1, b: 3, c: 1 }); // theirs changed b
    const first = planResolved(attempt, v2, { '/context/b': 'mine' });
    expect(pl(first)).toMatchObject({ kind: 'ready', result: { context: { a: 2, b: 2, c: 1 } } });
    if (first.kind !== 'ready') return;

    // Someone saves c before the PATCH: the earlier choice on b is not asked again.
    const v3 = version(3, { a: 1, b: 3, c: 5 });
    const second = planSave(rebase(first.latest, first.result), v3);
    expect(pl(second)).toMatchObject({ kind: 'ready', result: { context: { a: 2, b: 2, c: 5 } } });

    // Someone changes a to another value: a new conflict.
    const v3b = version(3, { a: 7, b: 3, c: 1 });
    expect(pl(planSave(rebase(first.latest, first.result), v3b))).toMatchObject({
      kind: 'conflicts',
      conflicts: [{ pointer: '/context/a', base: 1, mine: 2, theirs: 7 }],
    });
  });
});

describe('patchAttempt (Apply merge patch mode)', () => {
  const latest = version(4, { current_step: 'processing', progress: 75, stale: true });

  it('applies the typed merge patch to the latest version; null removes a key', () => {
    const attempt = patchAttempt(toEditable(latest.context), losslessContext({ progress: 90, current_step: 'validation', stale: null }), {
      opened: 's1',
      edited: 's1',
    });
    const plan = planSave(attempt, latest);
    expect(pl(plan)).toMatchObject({
      kind: 'ready',
      body: { context: { current_step: 'validation', progress: 90 } },
    });
    if (plan.kind !== 'ready') return;
    expect(pl(plan.body.context)).not.toHaveProperty('stale');
    expect(plan.changes.map((c) => c.pointer).sort()).toEqual(['/context/current_step', '/context/progress', '/context/stale']);
  });

  it('a null patch clears the context; an empty one changes nothing', () => {
    expect(pl(planSave(patchAttempt(toEditable(latest.context), null, { opened: 's1', edited: 's1' }), latest))).toMatchObject({
      kind: 'ready',
      body: { context: null },
    });
    const empty = patchAttempt(toEditable(latest.context), new Map(), { opened: 's1', edited: 's1' });
    expect(attemptChanges(empty)).toBe(false);
  });

  it('patches a null context starting from an empty object', () => {
    const plan = planSave(patchAttempt(doc(null), losslessContext({ a: 1 }), { opened: 's1', edited: 's1' }), version(1, null));
    expect(pl(plan)).toMatchObject({ kind: 'ready', body: { context: { a: 1 } } });
  });

  it('sends session_id only when the user changed it in the form', () => {
    const moved = version(5, latest.context.context, 'other');
    const kept = planSave(patchAttempt(toEditable(moved.context), losslessContext({ progress: 1 }), { opened: 's1', edited: 's1' }), moved);
    if (kept.kind === 'ready') expect(kept.body).not.toHaveProperty('session_id');
    const changed = planSave(patchAttempt(toEditable(moved.context), new Map(), { opened: 's1', edited: 's9' }), moved);
    expect(pl(changed)).toMatchObject({ kind: 'ready', body: { session_id: 's9' } });
  });
});

describe('wording', () => {
  it('describes paths as people read them', () => {
    expect(describePath(['context', 'progress'])).toBe('progress');
    expect(describePath(['context', 'results', 'analyzed_documents'])).toBe('results.analyzed_documents');
    expect(describePath(['context', 'odd key', 'x'])).toBe('["odd key"].x');
    expect(describePath(['context'])).toBe('the whole context');
    expect(describePath(['session_id'])).toBe('session_id');
  });

  it('summarizes changes for the toast', () => {
    const change = (...path: string[]) => ({ path, pointer: '', before: null, after: true });
    expect(summarizeChanges([change('context', 'a'), change('context', 'b')])).toBe('2 keys changed');
    expect(summarizeChanges([change('context', 'a')])).toBe('1 key changed');
    expect(summarizeChanges([change('session_id')])).toBe('session_id changed');
    expect(summarizeChanges([change('context', 'a'), change('session_id')])).toBe('1 key and session_id changed');
  });

  it('previews values on one line', () => {
    expect(previewValue(undefined)).toBe('(not present)');
    expect(previewValue(parseJsonText('{"a":[1,2],"big":750727362669608961}').value)).toBe('{"a":[1,2],"big":750727362669608961}');
    expect(previewValue('x'.repeat(100), 10)).toBe(`"${'x'.repeat(8)}…`);
  });

  it('builds the body from the fields that differ', () => {
    expect(bodyFor(doc({ a: 1 }), doc({ a: 1 }))).toEqual({});
    expect(pl(bodyFor(doc({ a: 1 }), doc({ a: 2 }, null)))).toEqual({ context: { a: 2 }, session_id: null });
  });
});
