/**
 * API keys: one per role, given in the environment or generated on first start and kept
 * in an owner-only file so the local user can find them again. The store keeps only
 * SHA-256 hashes; a presented key is hashed and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../../contract/constants';
import { ensurePrivateDir, narrowPrivateFile, PRIVATE_FILE_MODE } from '../private-files';
import type { ContextStore } from '../store/types';

export const KEY_FILE_NAME = 'api-keys.txt';

/** Hex SHA-256 of a key or token: what the store keeps. */
export const sha256Hex = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** 32 random bytes, prefixed with the role so a leaked key says what it grants. */
export const generateApiKey = (role: Role): string => `ecc_${role}_${randomBytes(32).toString('base64url')}`;

export interface KeyIdentity {
  role: Role;
  keyHash: string;
  /** The key's id and name (issue 11): the actor of what it writes. */
  keyId: string;
  name: string;
}

/** What the ring needs of an active key. */
export interface RingEntry {
  id: string;
  name: string;
  role: Role;
  keyHash: string;
}

/**
 * The active keys' hashes, loaded from the store at start. `identify` hashes the presented
 * key and compares it with every stored hash (no early exit), so neither the match nor its
 * position leaks through timing.
 */
export class KeyRing {
  private entries: Array<RingEntry & { digest: Buffer }> = [];

  constructor(keys: RingEntry[]) {
    this.reload(keys);
  }

  private static entry(key: RingEntry): RingEntry & { digest: Buffer } {
    return { id: key.id, name: key.name, role: key.role, keyHash: key.keyHash, digest: Buffer.from(key.keyHash, 'hex') };
  }

  /**
   * Replaces the active hashes. With a shared store the app calls this every few seconds
   * with the database's hashes, so a key replaced through another instance stops working
   * here too (sessions opened with it end at once: the store checks them against the
   * database on every request).
   */
  reload(keys: RingEntry[]): void {
    this.entries = keys.map((key) => KeyRing.entry(key));
  }

  /** A key created while running (POST /api/keys) is accepted at once. */
  add(key: RingEntry): void {
    this.entries = [...this.entries.filter((e) => e.id !== key.id), KeyRing.entry(key)];
  }

  /** A revoked key is refused at once (its sessions too: SessionManager checks the ring). */
  remove(id: string): void {
    this.entries = this.entries.filter((e) => e.id !== id);
  }

  identify(presentedKey: string): KeyIdentity | null {
    const digest = createHash('sha256').update(presentedKey, 'utf8').digest();
    let found: KeyIdentity | null = null;
    for (const entry of this.entries) {
      if (entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest)) {
        found = { role: entry.role, keyHash: entry.keyHash, keyId: entry.id, name: entry.name };
      }
    }
    return found;
  }

  /** The role of a key hash that is still active (sessions outlive key rotations otherwise). */
  roleOfHash(keyHash: string): Role | null {
    return this.entries.find((e) => e.keyHash === keyHash)?.role ?? null;
  }
}

/**
 * Where a role's key comes from: the environment, the key file in DATA_DIR, or (shared
 * store only) the database, when another instance created it and this one has neither.
 */
export type KeySource = 'env' | 'file' | 'database';

export interface ApiKeySetup {
  /** The plaintext key of each role, from the environment or the key file; a role whose
   *  key only the database knows (as a hash) has none here. */
  keys: Partial<Record<Role, string>>;
  sources: Record<Role, KeySource>;
  /** Roles whose key was generated during this start. */
  generated: Role[];
  keyFile: string;
  ring: KeyRing;
}

/** Reads `role key` lines; comments and unknown roles are ignored. */
export function readKeyFile(path: string): Partial<Record<Role, string>> {
  if (!existsSync(path)) return {};
  const keys: Partial<Record<Role, string>> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [role, key] = trimmed.split(/\s+/);
    if (key && (ROLES as readonly string[]).includes(role ?? '')) keys[role as Role] = key;
  }
  return keys;
}

function writeKeyFile(path: string, keys: Partial<Record<Role, string>>): void {
  const lines = [
    '# Execution Context Console API keys, generated on first start. Keep this file private.',
    '# A role whose key is set in the environment (ADMIN_API_KEY, …) uses that key instead.',
    '# Format: <role> <key>',
    ...ROLES.flatMap((role) => (keys[role] ? [`${role} ${keys[role]}`] : [])),
    '',
  ];
  // Write aside and rename so a crash never leaves a half-written file; mode 0600 from the
  // first byte (the umask can only narrow it) and again after, in case the file existed.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, lines.join('\n'), { mode: PRIVATE_FILE_MODE });
  chmodSync(temporary, PRIVATE_FILE_MODE);
  renameSync(temporary, path);
}

/**
 * Makes the store's key hashes match the environment and the key file: an environment key
 * replaces its role's hash; other roles reuse the file's key or get a new one, written to
 * the file. With a shared store (PostgreSQL), a role with neither an environment key nor a
 * key in this instance's file keeps the hash already in the database, if any: it was
 * created by another instance, and generating a new one here would lock that instance's
 * users out. Returns the plaintext keys for the caller (main prints only where they are).
 */
export async function setUpApiKeys(
  store: ContextStore,
  dataDir: string,
  envKeys: Partial<Record<Role, string>>,
  warn: (message: string) => void = () => {},
): Promise<ApiKeySetup> {
  ensurePrivateDir(dataDir, warn);
  const keyFile = join(dataDir, KEY_FILE_NAME);
  narrowPrivateFile(keyFile, warn);
  const fileKeys = readKeyFile(keyFile);
  const stored = store.shared ? await store.apiKeyHashes() : [];
  const keys: Partial<Record<Role, string>> = {};
  const hashes = {} as Record<Role, string>;
  const sources = {} as Record<Role, KeySource>;
  const generated: Role[] = [];

  for (const role of ROLES) {
    const envKey = envKeys[role];
    if (envKey !== undefined) {
      keys[role] = envKey;
      sources[role] = 'env';
      continue;
    }
    let fileKey = fileKeys[role];
    if (fileKey === undefined) {
      const existing = stored.find((entry) => entry.role === role);
      if (existing !== undefined) {
        hashes[role] = existing.keyHash;
        sources[role] = 'database';
        continue;
      }
      fileKey = generateApiKey(role);
      fileKeys[role] = fileKey;
      generated.push(role);
    }
    keys[role] = fileKey;
    sources[role] = 'file';
  }
  if (generated.length > 0) writeKeyFile(keyFile, fileKeys);

  const seen = new Set<string>();
  for (const role of ROLES) {
    const plaintext = keys[role];
    const keyHash = plaintext === undefined ? hashes[role] : sha256Hex(plaintext);
    if (seen.has(keyHash)) {
      // Only possible when an environment key equals another role's key in the file.
      throw new Error(`the ${role} key is the same as another role's key; every role needs its own key`);
    }
    seen.add(keyHash);
    if (plaintext === undefined) continue;
    await store.upsertApiKey(role, keyHash);
    // The keys table records each role key with its origin; a new key replaces the role's
    // previous environment/key-file key. A key an admin revoked stays revoked, even when
    // the environment still names it (a leaked key must not come back with a restart).
    const origin = sources[role] === 'env' ? 'env' : 'file';
    const record = await store.syncRoleKey(role, keyHash, origin, new Date());
    if (record.revokedAt !== null) {
      warn(`the ${role} key from ${origin === 'env' ? 'the environment' : 'the key file'} was revoked; it is not accepted (set a new one)`);
    }
  }
  // The active keys: the role keys above (unless revoked) and the named keys created by admins.
  const ring = new KeyRing(await store.activeKeys());
  return { keys, sources, generated, keyFile, ring };
}
