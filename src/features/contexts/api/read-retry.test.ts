import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { readRetry, readRetryDelay } from './read-retry';

const error = (status: number) => new ApiError({ status, code: 'internal_error', message: 'x' });

describe('read retry policy', () => {
  it('keeps retrying a 429 (the budget does the waiting) without extra delay', () => {
    expect(readRetry(5, error(429))).toBe(true);
    expect(readRetry(20, error(429))).toBe(false);
    expect(readRetryDelay(1, error(429))).toBe(0);
  });

  it('never retries other client errors', () => {
    expect(readRetry(0, error(404))).toBe(false);
    expect(readRetry(0, error(400))).toBe(false);
  });

  it('retries server and network errors once, after a second', () => {
    expect(readRetry(0, error(500))).toBe(true);
    expect(readRetry(0, new ApiError({ status: 0, code: 'network_error', message: 'x' }))).toBe(true);
    expect(readRetry(1, error(503))).toBe(false);
    expect(readRetryDelay(0, error(500))).toBe(1000);
  });
});
