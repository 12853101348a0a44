import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './store/sqlite/sqlite-store';

/** A test context's stored text. */
const j = (value: Record<string, unknown> | null): string | null => (value === null ? null : JSON.stringify(value));

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const writer = path.join(root, 'server', 'testing', 'write-burst.ts');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-durability-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps data across close and reopen', async () => {
    let store = openSqliteStore(dir);
    const a = await store.create({ agent_id: 'a', context_json: j({ n: 1 }) });
    const b = await store.create({ agent_id: 'b', context_json: j(null), status: 'running' });
    await store.update(a.context.id, { context_json: j({ n: 2 }) }, 1);
    await store.delete(b.context.id); // in use: refused, so b stays
    await store.upsertApiKey('admin', 'hash');
    await store.close();

    store = openSqliteStore(dir);
    try {
      expect(await store.get(a.context.id)).toMatchObject({ version: 2, context: { context_json: j({ n: 2 }) } });
      expect((await store.get(b.context.id))?.context.status).toBe('running');
      expect(await store.apiKeyHashes()).toEqual([{ role: 'admin', keyHash: 'hash' }]);
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });

  /**
   * Runs the writer, kills it with SIGKILL once it has acknowledged `killAfter` writes,
   * and returns every acknowledgement it printed (including those still in the pipe).
   */
  async function burstAndKill(killAfter: number): Promise<{ created: string[]; updated: Map<string, number>; acks: number }> {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const created: string[] = [];
    const updated = new Map<string, number>();
    let acks = 0;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      const [kind, id, version] = line.split(' ');
      if (kind === 'created' && id) created.push(id);
      else if (kind === 'updated' && id) updated.set(id, Math.max(updated.get(id) ?? 0, Number(version)));
      else continue;
      acks += 1;
      if (acks === killAfter && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
    // The loop ends when the pipe closes: after the kill, with every line it held read.
    expect(await exited).toBe('SIGKILL');
    return { created, updated, acks };
  }

  it.each([50, 700, 3000])(
    'keeps every acknowledged write of a process killed with SIGKILL mid-burst (kill after %i)',
    async (killAfter) => {
      const { created, updated, acks } = await burstAndKill(killAfter);
      expect(acks).toBeGreaterThanOrEqual(killAfter);
      expect(updated.size).toBeGreaterThan(0);
      // The crash left a WAL behind; opening replays it.
      const store = openSqliteStore(dir);
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const id of created) expect(await store.get(id), id).not.toBeNull();
        for (const [id, version] of updated) {
          expect((await store.get(id))?.version, id).toBeGreaterThanOrEqual(version);
        }
        expect(await store.count()).toBeGreaterThanOrEqual(created.length);
        // …and it is writable again.
        expect((await store.create({ agent_id: 'after-crash' })).version).toBe(1);
      } finally {
        await store.close();
      }
    },
    // Seconds when the machine is quiet; generous because a loaded CI box is not.
    120_000,
  );
});
