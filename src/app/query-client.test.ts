import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { retryDelay, shouldRetry } from './query-client';

const apiError = (status: number, code: ConstructorParameters<typeof ApiError>[0]['code'], retryAfterSeconds?: number) =>
  new ApiError({ status, code, message: 'x', retryAfterSeconds });

describe('query retry policy', () => {
  it('retries network errors and 5xx twice', () => {
    const network = apiError(0, 'network_error');
    expect([0, 1, 2].map((n) => shouldRetry(n, network))).toEqual([true, true, false]);
    expect(shouldRetry(1, apiError(503, 'internal_error'))).toBe(true);
  });

  it('never retries other 4xx answers', () => {
    for (const [status, code] of [
      [400, 'invalid_query'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [412, 'precondition_failed'],
    ] as const) {
      expect(shouldRetry(0, apiError(status, code))).toBe(false);
    }
  });

  it('retries a 429 once, after Retry-After', () => {
    const limited = apiError(429, 'rate_limited', 7);
    expect(shouldRetry(0, limited)).toBe(true);
    expect(shouldRetry(1, limited)).toBe(false);
    expect(retryDelay(0, limited)).toBe(7000);
  });

  it('backs off exponentially, capped', () => {
    expect([0, 1, 2, 5].map((n) => retryDelay(n, new Error('x')))).toEqual([1000, 2000, 4000, 8000]);
  });
});
