import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTEXT_STATUSES, executionContextSchema } from '../../contract/index';
import { prepareContext } from '../store/prepared';
import { openSqliteStore, type SqliteContextStore } from '../store/sqlite/sqlite-store';
import { DEMO_AGENTS, DEMO_WORKFLOWS, createRandom, generateDemoContexts, seedIfEmpty } from './demo-data';
import { seedInParallel } from './parallel-seed';

const now = new Date('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;

/** Demo rows with their context parsed back (demo data is written with JSON.stringify). */
const take = (count: number, seed = 1) =>
  [...generateDemoContexts(count, { now, seed })].map((row) => ({
    ...row,
    context: row.context_json === null || row.context_json === undefined
      ? null
      : (JSON.parse(row.context_json) as Record<string, unknown>),
  }));

describe('createRandom', () => {
  it('is deterministic, in [0, 1) and seed-dependent', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('generateDemoContexts', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(take(300, 5)).toEqual(take(300, 5));
    expect(take(300, 6)).not.toEqual(take(300, 5));
  });

  it('is lazy: the first rows of a huge run come at once', () => {
    const started = performance.now();
    const iterator = generateDemoContexts(1_000_000_000, { now })[Symbol.iterator]();
    for (let i = 0; i < 10; i += 1) expect(iterator.next().done).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('yields rows in created_at order over the past 90 days, updated_at between created_at and now', () => {
    const rows = take(20_000);
    expect(rows).toHaveLength(20_000);
    // One assertion over all rows (20,000 separate expects would dominate the test's time).
    const problems: string[] = [];
    let previous = -Infinity;
    rows.forEach((row, i) => {
      const created = row.created_at!.getTime();
      const updated = row.updated_at!.getTime();
      if (created < previous) problems.push(`${i}: created_at goes backwards`);
      if (created < now.getTime() - 90 * DAY || created >= now.getTime()) problems.push(`${i}: created_at out of range`);
      if (updated < created || updated > now.getTime()) problems.push(`${i}: updated_at out of range`);
      previous = created;
    });
    expect(problems).toEqual([]);
    // Spread over the whole span, busier recently.
    expect(rows[0]!.created_at!.getTime()).toBeLessThan(now.getTime() - 89 * DAY);
    const lastMonth = rows.filter((r) => r.created_at!.getTime() > now.getTime() - 30 * DAY).length;
    expect(lastMonth / rows.length).toBeGreaterThan(0.4);
  });

  it('looks like real agent runs: many agents and workflows, all statuses, realistic contexts', () => {
    const rows = take(20_000);
    const agents = new Set(rows.map((r) => r.agent_id));
    const workflows = new Set(rows.map((r) => r.workflow_id));
    expect(agents.size).toBeGreaterThanOrEqual(DEMO_AGENTS.length); // plus null
    expect(workflows.size).toBeGreaterThanOrEqual(DEMO_WORKFLOWS.length * 0.9);
    expect(agents.has(null)).toBe(true);
    expect(workflows.has(null)).toBe(true);
    for (const agent of DEMO_AGENTS) expect(agent).toMatch(/^agent_[a-z_]+$/);
    for (const wf of DEMO_WORKFLOWS) expect(wf).toMatch(/^wf_[a-z_]+$/);

    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status!, (byStatus.get(r.status!) ?? 0) + 1);
    for (const status of CONTEXT_STATUSES) expect(byStatus.get(status) ?? 0, status).toBeGreaterThan(200);
    const share = (s: string): number => (byStatus.get(s) ?? 0) / rows.length;
    expect(share('completed') + share('idle')).toBeGreaterThan(0.6);
    expect(share('running') + share('waiting_for_input')).toBeLessThan(0.25);

    const sessions = new Set(rows.map((r) => r.session_id));
    expect(sessions.size).toBeGreaterThan(1000);
    expect(sessions.size).toBeLessThan(rows.length); // sessions span several contexts

    const withContext = rows.filter((r) => r.context);
    expect(withContext.length).toBeGreaterThan(rows.length * 0.95);
    expect(rows.some((r) => r.context === null)).toBe(true);
    const rich = withContext.filter((r) => Array.isArray(r.context!.messages));
    expect(rich.length).toBeGreaterThan(rows.length * 0.8);
    expect(rich.some((r) => (r.context!.tool_calls as unknown[]).length > 0)).toBe(true);
    // A failed run with a full context says why it failed.
    const failedRich = rich.filter((r) => r.status === 'failed');
    expect(failedRich.length).toBeGreaterThan(0);
    expect(failedRich.every((r) => Array.isArray(r.context!.errors))).toBe(true);
    expect(rows.some((r) => r.status === 'waiting_for_input' && r.context?.pending_input !== undefined)).toBe(true);
    // Some non-ASCII text, as real contexts have.
    expect(rows.some((r) => { const json = JSON.stringify(r.context); return Buffer.byteLength(json) !== json.length; })).toBe(true);
  });

  it('sizes contexts from a few bytes to ~200 KB: most under 5 KB, about 1% large', () => {
    const sizes = take(20_000).map((r) => (r.context ? Buffer.byteLength(JSON.stringify(r.context)) : 0));
    const small = sizes.filter((s) => s > 0 && s < 50).length;
    const under5k = sizes.filter((s) => s < 5_000).length;
    const large = sizes.filter((s) => s >= 10_000).length;
    expect(small).toBeGreaterThan(100);
    expect(under5k / sizes.length).toBeGreaterThan(0.97);
    expect(large / sizes.length).toBeGreaterThan(0.005);
    expect(large / sizes.length).toBeLessThan(0.02);
    expect(Math.max(...sizes)).toBeGreaterThan(60_000);
    expect(Math.max(...sizes)).toBeLessThan(230_000);
  });

  it('produces rows the API would accept', () => {
    const rows = take(500);
    rows.forEach((row, i) => {
      const prepared = prepareContext(row);
      const ctx = {
        id: `ctx_${i}`,
        agent_id: prepared.agent_id,
        workflow_id: prepared.workflow_id,
        session_id: prepared.session_id,
        context: prepared.context_json === null ? null : JSON.parse(prepared.context_json),
        status: prepared.status,
        created_at: new Date(prepared.created_at).toISOString(),
        updated_at: new Date(prepared.updated_at).toISOString(),
      };
      expect(executionContextSchema.safeParse(ctx).success).toBe(true);
    });
  });
});

describe('seeding a store', () => {
  let dir: string;
  let store: SqliteContextStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-seed-'));
    store = openSqliteStore(dir);
  });
  afterEach(() => {
    store.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seedIfEmpty fills an empty store once', async () => {
    expect(await seedIfEmpty(store, 0)).toBe(0);
    expect(await store.count()).toBe(0);
    expect(await seedIfEmpty(store, 1_234)).toBe(1_234);
    expect(await store.count()).toBe(1_234);
    expect(await seedIfEmpty(store, 1_234)).toBe(0);
    expect(await store.count()).toBe(1_234);
    const page = await store.list({ per_page: 100, view: 'summary' });
    expect(page.data).toHaveLength(100);
    expect(page.has_more).toBe(true);
  });

  it('seedInParallel writes the same rows as the generator, with progress', async () => {
    const progress: number[] = [];
    const inserted = await seedInParallel(store, 12_345, { seed: 3, now, onProgress: (n) => progress.push(n) });
    expect(inserted).toBe(12_345);
    expect(await store.count()).toBe(12_345);
    expect(progress.at(-1)).toBe(12_345);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Same content as the single-threaded generator (ids aside), newest first.
    const expected = take(12_345, 3).reverse();
    let after: string | undefined;
    let index = 0;
    for (;;) {
      const page = await store.list({ per_page: 100, view: 'full', after });
      for (const row of page.data) {
        const want = expected[index]!;
        expect(row.created_at).toBe(want.created_at!.toISOString());
        expect(row.agent_id).toBe(want.agent_id);
        expect(row.context_json).toBe(want.context_json);
        index += 1;
      }
      if (!page.has_more) break;
      after = page.next_cursor ?? undefined;
    }
    expect(index).toBe(12_345);
  }, 60_000);
});
