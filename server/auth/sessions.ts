/**
 * Dashboard sessions: signing in with a key sets an HttpOnly cookie holding a random
 * token; the store keeps the token's hash, the role and the key's hash (so the session
 * counts against that key's rate limits and dies when the key is replaced).
 */
import { randomBytes } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Role } from '../../contract/constants';
import type { ContextStore } from '../store/types';
import { sha256Hex, type KeyIdentity, type KeyRing } from './keys';

/** Tokens are 32 random bytes in base64url: 43 characters. Anything else is not ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionOptions {
  ttlHours: number;
  cookieSecure: boolean;
}

export class SessionManager {
  constructor(
    private readonly store: ContextStore,
    private readonly ring: KeyRing,
    private readonly options: SessionOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts a session for a verified key; returns the token for the cookie. */
  async create(identity: KeyIdentity): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.options.ttlHours * 3_600_000);
    await this.store.createSession(sha256Hex(token), identity.role, identity.keyHash, expiresAt, identity.keyId);
    return token;
  }

  /** The identity behind a cookie token, or null when unknown, expired or its key replaced. */
  async resolve(token: string): Promise<KeyIdentity | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const session = await this.store.findSession(sha256Hex(token), this.now());
    if (!session) return null;
    const role: Role | null = this.ring.roleOfHash(session.keyHash);
    if (role === null || role !== session.role) return null;
    return { role, keyHash: session.keyHash, keyId: session.keyId, name: session.name };
  }

  async destroy(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await this.store.deleteSession(sha256Hex(token));
  }

  /** Attributes of the session cookie; Path=/api keeps it off static asset requests. */
  cookieOptions(): CookieSerializeOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      path: '/api',
      secure: this.options.cookieSecure,
      maxAge: Math.round(this.options.ttlHours * 3600),
    };
  }
}
