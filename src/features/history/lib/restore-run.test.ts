import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { groupOutcomes, runRestores } from './restore-run';

describe('runRestores', () => {
  it('restores in order, one at a time, and reports each id', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: number[] = [];
    const result = await runRestores(
      ['a', 'b', 'c', 'd'],
      async (id) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        if (id === 'b') throw new ApiError({ status: 409, code: 'conflict', message: 'exists' });
        if (id === 'c') throw new ApiError({ status: 404, code: 'not_found', message: 'pruned' });
        if (id === 'd') throw new Error('network');
      },
      (progress) => seen.push(progress.done),
    );
    expect(maxInFlight).toBe(1);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(groupOutcomes(result.outcomes)).toEqual({ restored: ['a'], exists: ['b'], gone: ['c'], failed: ['d'] });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const result = await runRestores(
      ['a', 'b', 'c'],
      async () => {
        controller.abort();
      },
      () => {},
      controller.signal,
    );
    expect(result.done).toBe(1);
  });
});
