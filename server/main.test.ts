/**
 * `node --import tsx server/main.ts` as `npm start` runs it: the first stdout line, where
 * the keys are, demo data, restart behaviour, shutdown on SIGTERM/SIGINT, bad settings.
 * Each server is stopped by its own process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, readKeyFile } from './auth/keys';
import { CONTEXTS, api } from './testing';

const ROOT = resolve(import.meta.dirname, '..');
const FIRST_LINE = /^Execution Context Console listening on http:\/\/127\.0\.0\.1:(\d+)$/;

interface Running {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

const running: Running[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecc-main-test-'));
  dirs.push(dir);
  return dir;
};

function launch(env: Record<string, string>): { child: ChildProcess; stdout: string[]; stderr: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout, stderr, exited };
}

async function start(env: Record<string, string>): Promise<Running> {
  const launched = launch(env);
  const deadline = Date.now() + 30_000;
  while (launched.stdout.length < 2) {
    if (launched.child.exitCode !== null) throw new Error(`server exited: ${launched.stderr.join('\n')}`);
    if (Date.now() > deadline) throw new Error('server did not start in 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const match = FIRST_LINE.exec(launched.stdout[0]!);
  if (!match) throw new Error(`unexpected first line: ${launched.stdout[0]}`);
  const server = { ...launched, url: `http://127.0.0.1:${match[1]}` };
  running.push(server);
  return server;
}

describe('npm start (server/main.ts)', () => {
  it('prints the URL first and the key file next, seeds, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = await start({ DATA_DIR: dataDir, SEED_CONTEXTS: '30' });
    expect(server.stdout[0]).toMatch(FIRST_LINE);
    const keyFile = join(dataDir, KEY_FILE_NAME);
    expect(server.stdout[1]).toContain(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const keys = readKeyFile(keyFile);
    // Keys generated on this start are printed once on stdout (the contract says so), and
    // never reach the log on stderr.
    for (const key of Object.values(keys)) {
      expect(server.stdout.join('\n')).toContain(key);
      expect(server.stderr.join('\n')).not.toContain(key);
    }

    expect((await api(server.url).get('/api/health')).body).toEqual({ status: 'ok' });
    const list = await api(server.url, keys.viewer!).get(CONTEXTS, { query: { per_page: 100 } });
    expect(list.body.data).toHaveLength(30);

    process.kill(server.child.pid!, 'SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('keeps keys and data across a restart and does not seed a non-empty store again', async () => {
    const dataDir = tempDir();
    const first = await start({ DATA_DIR: dataDir, SEED_CONTEXTS: '5' });
    const keys = readKeyFile(join(dataDir, KEY_FILE_NAME));
    const created = await api(first.url, keys.editor!).post(CONTEXTS, { agent_id: 'survivor' });
    expect(created.status).toBe(201);
    process.kill(first.child.pid!, 'SIGINT');
    expect(await first.exited).toBe(0);

    const second = await start({ DATA_DIR: dataDir, SEED_CONTEXTS: '5' });
    expect(second.stdout[1]).not.toContain('just generated');
    // A later start names the file only.
    for (const key of Object.values(keys)) expect(second.stdout.join('\n')).not.toContain(key);
    expect(readKeyFile(join(dataDir, KEY_FILE_NAME))).toEqual(keys);
    const list = await api(second.url, keys.admin!).get(CONTEXTS);
    expect(list.body.data).toHaveLength(6);
    expect((await api(second.url, keys.admin!).get(`${CONTEXTS}/${created.body.id}`)).body.agent_id).toBe('survivor');
  });

  it('names environment keys as the source without printing them', async () => {
    const env = {
      DATA_DIR: tempDir(),
      SEED_CONTEXTS: '0',
      ADMIN_API_KEY: 'main-test-admin-key-0001',
      EDITOR_API_KEY: 'main-test-editor-key-0001',
      VIEWER_API_KEY: 'main-test-viewer-key-0001',
    };
    const server = await start(env);
    expect(server.stdout[1]).toContain('ADMIN_API_KEY');
    expect((await api(server.url, env.ADMIN_API_KEY).get('/api/session')).body.role).toBe('admin');
    const output = [...server.stdout, ...server.stderr].join('\n');
    for (const key of [env.ADMIN_API_KEY, env.EDITOR_API_KEY, env.VIEWER_API_KEY]) expect(output).not.toContain(key);
  });

  it('stops with a clear message and exit code 2 on a bad setting', async () => {
    const launched = launch({ DATA_DIR: tempDir(), PORT: 'eighty', RATE_LIMITS: 'read=lots', TRUST_PROXY: 'true' });
    const code = await launched.exited;
    expect(code).toBe(2);
    const stderr = launched.stderr.join('\n');
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('RATE_LIMITS');
    expect(stderr).toMatch(/TRUST_PROXY must not trust every proxy.*\(got "true"\)/);
    expect(launched.stdout).toEqual([]);
  });

  it('creates a fresh DATA_DIR 0700 with every file in it 0600 (umask 077), also once the WAL is written (SECURITY.md S3)', async () => {
    const dataDir = join(tempDir(), 'fresh', 'data');
    const server = await start({ DATA_DIR: dataDir, SEED_CONTEXTS: '20' });
    const keys = readKeyFile(join(dataDir, KEY_FILE_NAME));
    expect((await api(server.url, keys.editor!).post(CONTEXTS, { agent_id: 'private' })).status).toBe(201);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const names = readdirSync(dataDir);
    expect(names).toEqual(expect.arrayContaining(['contexts.sqlite', 'contexts.sqlite-wal', 'contexts.sqlite-shm', KEY_FILE_NAME]));
    for (const name of names) expect([name, (statSync(join(dataDir, name)).mode & 0o777).toString(8)]).toEqual([name, '600']);
    expect((await api(server.url).get('/api/ready')).body).toEqual({ status: 'ready' });
  });
});
