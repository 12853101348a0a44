/**
 * API keys: generated once into an owner-only file and reused, replaced per role by the
 * environment, stored only as hashes, compared by hash.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteContextStore } from '../store/sqlite/sqlite-store';
import { CONTEXTS, api, startTestServer } from '../testing';
import { KEY_FILE_NAME, KeyRing, readKeyFile, setUpApiKeys, sha256Hex } from './keys';

let dataDir: string;
let store: SqliteContextStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ecc-keys-test-'));
  store = openSqliteStore(dataDir);
});
afterEach(() => {
  store.closeSync();
  rmSync(dataDir, { recursive: true, force: true });
});

const keyFile = () => join(dataDir, KEY_FILE_NAME);

describe('setUpApiKeys', () => {
  it('generates one prefixed random key per role into a 0600 file, storing only hashes', async () => {
    const setup = await setUpApiKeys(store, dataDir, {});
    expect(setup.generated).toEqual(['viewer', 'editor', 'admin']);
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      expect(setup.keys[role]).toMatch(new RegExp(`^ecc_${role}_[A-Za-z0-9_-]{43}$`));
      expect(setup.sources[role]).toBe('file');
    }
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(readKeyFile(keyFile())).toEqual(setup.keys);
    expect(readFileSync(keyFile(), 'utf8')).toMatch(/^admin ecc_admin_/m);
    expect(await store.apiKeyHashes()).toEqual(
      expect.arrayContaining([{ role: 'admin', keyHash: sha256Hex(setup.keys.admin ?? '') }]),
    );
    store.closeSync();
    // Not a single plaintext key anywhere in the database files.
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('contexts.sqlite'))) {
      const bytes = readFileSync(join(dataDir, file)).toString('latin1');
      for (const key of Object.values(setup.keys)) expect(bytes).not.toContain(key);
    }
  });

  it('reuses the file’s keys on the next start', async () => {
    const first = await setUpApiKeys(store, dataDir, {});
    const second = await setUpApiKeys(store, dataDir, {});
    expect(second.keys).toEqual(first.keys);
    expect(second.generated).toEqual([]);
  });

  it('an environment key replaces that role’s stored hash; the others keep the file', async () => {
    const first = await setUpApiKeys(store, dataDir, {});
    const envKey = 'admin-from-env-0123456789';
    const second = await setUpApiKeys(store, dataDir, { admin: envKey });
    expect(second.keys).toEqual({ ...first.keys, admin: envKey });
    expect(second.sources).toEqual({ admin: 'env', editor: 'file', viewer: 'file' });
    expect(second.ring.identify(envKey)).toMatchObject({ role: 'admin' });
    expect(second.ring.identify(first.keys.admin ?? '')).toBeNull();
    expect(second.ring.identify(first.keys.editor ?? '')).toMatchObject({ role: 'editor' });
  });

  it('with every key in the environment, writes no file', async () => {
    await setUpApiKeys(store, dataDir, { admin: 'a'.repeat(20), editor: 'e'.repeat(20), viewer: 'v'.repeat(20) });
    expect(existsSync(keyFile())).toBe(false);
  });

  it('narrows a key file that others could read back to 0600', async () => {
    await setUpApiKeys(store, dataDir, {});
    chmodSync(keyFile(), 0o644);
    const warnings: string[] = [];
    await setUpApiKeys(store, dataDir, {}, (message) => warnings.push(message));
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(warnings.join()).toContain('0600');
  });

  it('regenerates only the roles missing from an edited file', async () => {
    writeFileSync(keyFile(), '# mine\nadmin my-own-admin-key-0000000\n', { mode: 0o600 });
    const setup = await setUpApiKeys(store, dataDir, {});
    expect(setup.keys.admin).toBe('my-own-admin-key-0000000');
    expect(setup.generated).toEqual(['viewer', 'editor']);
    expect(readKeyFile(keyFile()).admin).toBe('my-own-admin-key-0000000');
  });

  it('a revoked role key stays revoked after a restart with the same key', async () => {
    const first = await setUpApiKeys(store, dataDir, { admin: 'admin-from-env-0123456789' });
    const adminKey = (await store.activeKeys()).find((k) => k.role === 'admin');
    // Another admin key first: the last admin key cannot be revoked.
    await store.createKey(
      { id: 'key_other', name: 'other admin', role: 'admin', origin: 'api', keyHash: sha256Hex('other-admin-key'), createdAt: Date.now(), lastUsedAt: null, createdBy: null, revokedAt: null },
      { action: 'key.created', actor: null },
    );
    expect((await store.revokeKey(adminKey!.id, { actor: null }, new Date())).kind).toBe('revoked');
    const warnings: string[] = [];
    const second = await setUpApiKeys(store, dataDir, { admin: 'admin-from-env-0123456789' }, (m) => warnings.push(m));
    expect(second.ring.identify(first.keys.admin ?? "")).toBeNull();
    expect(second.ring.identify('other-admin-key')).toMatchObject({ role: 'admin', name: 'other admin' });
    expect(warnings.join()).toMatch(/admin key from the environment was revoked/);
  });

  it('refuses an environment key equal to another role’s key', async () => {
    const first = await setUpApiKeys(store, dataDir, {});
    await expect(setUpApiKeys(store, dataDir, { admin: first.keys.viewer ?? '' })).rejects.toThrow(/own key/);
  });
});

describe('KeyRing', () => {
  it('identifies by hash and rejects near misses', async () => {
    const ring = new KeyRing([
      { id: 'key_v', name: 'viewer', role: 'viewer', keyHash: sha256Hex('viewer-key') },
      { id: 'key_a', name: 'alice', role: 'admin', keyHash: sha256Hex('admin-key') },
    ]);
    expect(ring.identify('admin-key')).toEqual({ role: 'admin', keyHash: sha256Hex('admin-key'), keyId: 'key_a', name: 'alice' });
    for (const miss of ['admin-ke', 'admin-key ', 'ADMIN-KEY', '', sha256Hex('admin-key')]) {
      expect(ring.identify(miss)).toBeNull();
    }
    expect(ring.roleOfHash(sha256Hex('viewer-key'))).toBe('viewer');
    expect(ring.roleOfHash('0'.repeat(64))).toBeNull();
    ring.remove('key_a');
    expect(ring.identify('admin-key')).toBeNull();
    ring.add({ id: 'key_b', name: 'bob', role: 'editor', keyHash: sha256Hex('bob-key') });
    expect(ring.identify('bob-key')).toMatchObject({ keyId: 'key_b', name: 'bob' });
  });
});

describe('over HTTP', () => {
  it('generated keys work and survive a restart', async () => {
    store.closeSync();
    const first = await startTestServer({ reuseDataDir: dataDir, apiKeys: {} });
    const keys = first.keys;
    expect(keys.admin).toMatch(/^ecc_admin_/);
    expect((await api(first.url, keys.viewer).get(CONTEXTS)).status).toBe(200);
    await first.close();

    const second = await startTestServer({ reuseDataDir: dataDir, apiKeys: {} });
    expect(second.keys).toEqual(keys);
    expect((await api(second.url, keys.admin).get(CONTEXTS)).status).toBe(200);
    await second.close();
    store = openSqliteStore(dataDir);
  });
});
