/**
 * Per key × class rate limits (read, write, delete), each with a burst window (1 s) and a
 * sustained window (60 s), on rate-limiter-flexible. The store picks the backend
 * (`ContextStore.rateLimiter`): in memory for SQLite (one process), RateLimiterPostgres for
 * PostgreSQL, so that a key's budget holds across every instance sharing the database. A
 * request that one window refuses is not charged to the other, so a refused burst does not
 * eat into the minute's budget.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RATE_LIMIT_CLASSES, type RateLimitClass } from '../contract/constants';
import type { SessionInfo } from '../contract/types';
import type { RateLimitConfig } from './config';
import type { RateLimiterOptions } from './store/types';

/** Makes one window's limiter; `ContextStore.rateLimiter` in the app. */
export type LimiterFactory = (options: RateLimiterOptions) => RateLimiterAbstract;

/** The single-process backend (tests of the limits' arithmetic, SQLite). */
export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

export interface RateLimitWindows {
  burstSeconds: number;
  sustainedSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** RateLimit-* headers (and Retry-After when refused). */
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

interface WindowLimiter {
  limiter: RateLimiterAbstract;
  points: number;
  seconds: number;
}

interface WindowState {
  window: WindowLimiter;
  remaining: number;
  msBeforeReset: number;
}

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/** rate-limiter-flexible rejects with a RateLimiterRes when over the limit; anything else is
 *  an error of its backend (the database unreachable: the error handler answers 503). */
async function consumeOne(window: WindowLimiter, key: string): Promise<{ allowed: boolean; state: WindowState }> {
  try {
    const res = await window.limiter.consume(key, 1);
    return { allowed: true, state: { window, remaining: res.remainingPoints, msBeforeReset: res.msBeforeNext } };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return { allowed: false, state: { window, remaining: 0, msBeforeReset: rejection.msBeforeNext } };
  }
}

/** The window closest to exhaustion: fewest requests left; on a tie, the later reset. */
function nearestExhaustion(states: WindowState[]): WindowState {
  return states.reduce((a, b) =>
    b.remaining < a.remaining || (b.remaining === a.remaining && b.msBeforeReset > a.msBeforeReset) ? b : a,
  );
}

function headersFor(states: WindowState[]): Record<string, string> {
  const nearest = nearestExhaustion(states);
  return {
    'RateLimit-Limit': String(nearest.window.points),
    'RateLimit-Remaining': String(nearest.remaining),
    'RateLimit-Reset': String(seconds(nearest.msBeforeReset)),
    // The whole policy, in the IETF draft's syntax, for clients that want both windows.
    'RateLimit-Policy': states.map((s) => `${s.window.points};w=${s.window.seconds}`).join(', '),
  };
}

export class RateLimits {
  private readonly windows: Partial<Record<RateLimitClass, { burst: WindowLimiter; sustained: WindowLimiter }>> = {};

  constructor(
    private readonly config: RateLimitConfig,
    windowLengths: RateLimitWindows = { burstSeconds: 1, sustainedSeconds: 60 },
    makeLimiter: LimiterFactory = memoryLimiters,
  ) {
    for (const cls of RATE_LIMIT_CLASSES) {
      const rule = config[cls];
      if (!rule) continue;
      const make = (points: number, duration: number): WindowLimiter => ({
        limiter: makeLimiter({ keyPrefix: `${cls}:${duration}`, points, duration }),
        points,
        seconds: duration,
      });
      this.windows[cls] = {
        burst: make(rule.perSecond, windowLengths.burstSeconds),
        sustained: make(rule.perMinute, windowLengths.sustainedSeconds),
      };
    }
  }

  /** The effective limits, as SessionInfo reports them (null: not limited). */
  sessionLimits(): SessionInfo['rate_limits'] {
    return { read: this.config.read, write: this.config.write, delete: this.config.delete };
  }

  /** Charges one request of `cls` to `key`; null when the class is not limited. */
  async consume(cls: RateLimitClass, key: string): Promise<RateLimitDecision | null> {
    const windows = this.windows[cls];
    if (!windows) return null;

    const burst = await consumeOne(windows.burst, key);
    if (!burst.allowed) return this.refused(burst.state, windows);

    const sustained = await consumeOne(windows.sustained, key);
    if (!sustained.allowed) {
      // Not served, so it must not use up the burst window either.
      await windows.burst.limiter.reward(key, 1);
      return this.refused(sustained.state, windows);
    }
    return { allowed: true, headers: headersFor([burst.state, sustained.state]) };
  }

  private refused(state: WindowState, windows: { burst: WindowLimiter; sustained: WindowLimiter }): RateLimitDecision {
    const retryAfterSeconds = Math.max(1, seconds(state.msBeforeReset));
    const policy = headersFor([
      { window: windows.burst, remaining: 0, msBeforeReset: 0 },
      { window: windows.sustained, remaining: 0, msBeforeReset: 0 },
    ])['RateLimit-Policy'] as string;
    return {
      allowed: false,
      retryAfterSeconds,
      headers: {
        'RateLimit-Limit': String(state.window.points),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(retryAfterSeconds),
        'RateLimit-Policy': policy,
        'Retry-After': String(retryAfterSeconds),
      },
    };
  }
}

/**
 * Failed sign-ins per client address: only failures are charged, and a blocked address
 * is refused before its key is even checked.
 */
export class SignInLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly failuresPerMinute: number,
    makeLimiter: LimiterFactory = memoryLimiters,
  ) {
    this.limiter = makeLimiter({ keyPrefix: 'sign-in', points: failuresPerMinute, duration: 60 });
  }

  /** Seconds to wait when the address used up its failures, else null. */
  async blockedFor(address: string): Promise<number | null> {
    const res = await this.limiter.get(address);
    if (!res || res.consumedPoints < this.failuresPerMinute) return null;
    return Math.max(1, seconds(res.msBeforeNext));
  }

  async recordFailure(address: string): Promise<void> {
    await this.limiter.penalty(address, 1);
  }
}
