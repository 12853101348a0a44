import { describe, expect, it } from 'vitest';
import { can } from './roles';

describe('can', () => {
  it('follows viewer ⊂ editor ⊂ admin', () => {
    expect([can('viewer', 'read'), can('viewer', 'write'), can('viewer', 'delete')]).toEqual([true, false, false]);
    expect([can('editor', 'read'), can('editor', 'write'), can('editor', 'delete')]).toEqual([true, true, false]);
    expect([can('admin', 'read'), can('admin', 'write'), can('admin', 'delete')]).toEqual([true, true, true]);
  });

  it('denies everything when signed out', () => {
    expect(can(null, 'read')).toBe(false);
    expect(can(undefined, 'write')).toBe(false);
  });
});
