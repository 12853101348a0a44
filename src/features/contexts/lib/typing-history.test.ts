import { describe, expect, it } from 'vitest';
import { historyModeFor } from './typing-history';

describe('historyModeFor', () => {
  it('pushes the first change of a burst and replaces the rest', () => {
    expect(historyModeFor(null, 'agent', 1000)).toBe('push');
    expect(historyModeFor({ field: 'agent', at: 1000 }, 'agent', 2500)).toBe('replace');
  });

  it('pushes again after a pause or on another field', () => {
    expect(historyModeFor({ field: 'agent', at: 1000 }, 'agent', 3001)).toBe('push');
    expect(historyModeFor({ field: 'agent', at: 1000 }, 'workflow', 1200)).toBe('push');
  });
});
