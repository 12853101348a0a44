/**
 * Named API keys (issue 11): creating and revoking keys keeps the store (hashes, the
 * `key.*` audit events, in one transaction) and this process's KeyRing in step, and
 * records when a key was last used (at most once a minute per key, off the request's path).
 */
import { ulid } from 'ulid';
import type { Role } from '../../contract/constants';
import type { Actor, KeyRecord, RevokeResult } from '../store/accountability-types';
import type { ContextStore } from '../store/types';
import { generateApiKey, sha256Hex, type KeyRing } from './keys';

/** How long a key's last_used_at may lag behind its real last use. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export class KeyAdmin {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: ContextStore,
    private readonly ring: KeyRing,
    private readonly now: () => Date = () => new Date(),
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Active keys, oldest first (environment and key-file keys included, with their origin). */
  list(): Promise<KeyRecord[]> {
    return this.store.activeKeys();
  }

  /** Creates a key; the plaintext is returned to show once and never kept. */
  async create(name: string, role: Role, actor: Actor, clientIp: string | null): Promise<{ record: KeyRecord; key: string }> {
    const key = generateApiKey(role);
    const at = this.now().getTime();
    const record: KeyRecord = {
      id: `key_${ulid(at)}`,
      name,
      role,
      origin: 'api',
      keyHash: sha256Hex(key),
      createdAt: at,
      lastUsedAt: null,
      createdBy: actor.key_id,
      revokedAt: null,
    };
    const stored = await this.store.createKey(record, {
      action: 'key.created',
      actor,
      client_ip: clientIp,
      details: { key_id: record.id, name, role },
    });
    this.ring.add(stored);
    return { record: stored, key };
  }

  /** Revokes a key: it and its sessions stop working at once. */
  async revoke(id: string, actor: Actor, clientIp: string | null): Promise<RevokeResult> {
    const result = await this.store.revokeKey(id, { actor, client_ip: clientIp }, this.now());
    if (result.kind === 'revoked') this.ring.remove(id);
    return result;
  }

  /** Notes a use of a key; writes at most once per LAST_USED_RESOLUTION_MS, never awaited. */
  touch(id: string): void {
    const at = this.now().getTime();
    const last = this.touched.get(id);
    if (last !== undefined && at - last < LAST_USED_RESOLUTION_MS) return;
    this.touched.set(id, at);
    this.store.touchKey(id, new Date(at)).catch(this.onError);
  }
}
