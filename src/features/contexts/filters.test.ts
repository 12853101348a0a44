import { CONTEXT_STATUSES } from '@contract/constants';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  filterChips,
  hasActiveFilters,
  normalizeFilters,
  normalizeUpdatedBefore,
  parseSearch,
  sameFilters,
  serializeSearch,
  toListQuery,
  updatedBeforeToIso,
  withoutFilter,
} from './filters';

describe('parseSearch', () => {
  it('reads every parameter', () => {
    expect(
      parseSearch('?agent_id=agent_1&workflow_id=wf%20x&status=failed,idle&updated_before=2026-11-01&context=ctx_9'),
    ).toEqual({
      filters: {
        ...EMPTY_FILTERS,
        agentId: 'agent_1',
        workflowId: 'wf x',
        statuses: ['idle', 'failed'],
        updatedBefore: '2026-11-01',
      },
      contextId: 'ctx_9',
    });
  });

  it('accepts repeated status parameters, drops unknown and duplicate statuses', () => {
    expect(parseSearch('status=failed&status=bogus,failed&status=running').filters.statuses).toEqual([
      'running',
      'failed',
    ]);
  });

  it('is total: garbage gives the empty state', () => {
    expect(parseSearch('?agent_id=%20%20&status=&updated_before=yesterday&context=')).toEqual({
      filters: EMPTY_FILTERS,
      contextId: null,
    });
    expect(parseSearch('')).toEqual({ filters: EMPTY_FILTERS, contextId: null });
  });

  it('rejects impossible days but keeps full RFC 3339 times', () => {
    expect(normalizeUpdatedBefore('2026-02-30')).toBeNull();
    expect(normalizeUpdatedBefore('2026-02-28')).toBe('2026-02-28');
    expect(normalizeUpdatedBefore('2026-02-28T10:00:00Z')).toBe('2026-02-28T10:00:00Z');
    expect(normalizeUpdatedBefore('2026-02-28T10:00:00+02:00')).toBe('2026-02-28T10:00:00+02:00');
    expect(normalizeUpdatedBefore('2026-02-28T10:00:00')).toBeNull();
  });
});

describe('serializeSearch', () => {
  it('writes a canonical, readable query string', () => {
    expect(
      serializeSearch({
        filters: { ...EMPTY_FILTERS, agentId: ' a b ', statuses: ['failed', 'idle'], updatedBefore: '2026-11-01' },
        contextId: 'ctx_1',
      }),
    ).toBe('agent_id=a%20b&status=idle,failed&updated_before=2026-11-01&context=ctx_1');
    expect(serializeSearch({ filters: EMPTY_FILTERS, contextId: null })).toBe('');
  });

  it('keeps parameters owned by other features, after ours', () => {
    expect(serializeSearch({ filters: { ...EMPTY_FILTERS, agentId: 'x' }, contextId: null }, '?agent_id=old&tab=2')).toBe(
      'agent_id=x&tab=2',
    );
  });

  it('round-trips any state', () => {
    const text = fc.option(fc.string(), { nil: null });
    const state = fc.record({
      filters: fc.record({
        agentId: text,
        workflowId: text,
        statuses: fc.subarray([...CONTEXT_STATUSES]),
        updatedBefore: fc.option(
          fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) =>
            d.toISOString().slice(0, 10),
          ),
          { nil: null },
        ),
        q: text,
        where: fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom('a.b = 1', 'items[0].sku = "A,1 & x=y"', '["k.d"].x exists', 'n > 750727362669608961', 'e ~ "é"'),
          ),
          { maxLength: 4 },
        ),
      }),
      contextId: text,
    });
    fc.assert(
      fc.property(state, (s) => {
        const parsed = parseSearch(serializeSearch(s));
        const expected = normalizeFilters(s.filters);
        expect(parsed.filters).toEqual(expected);
        expect(parsed.contextId).toBe(s.contextId?.trim() || null);
        // Canonical: serializing the parsed state again gives the same string.
        expect(serializeSearch(parsed)).toBe(serializeSearch(s));
      }),
    );
  });
});

describe('toListQuery', () => {
  it('maps filters to the API parameters', () => {
    expect(toListQuery(EMPTY_FILTERS)).toEqual({});
    const query = toListQuery({
      ...EMPTY_FILTERS,
      agentId: 'a',
      workflowId: 'w',
      statuses: ['interrupted', 'failed'],
      updatedBefore: '2026-11-01T00:00:00Z',
    });
    expect(query).toEqual({
      agent_id: 'a',
      workflow_id: 'w',
      status: ['interrupted', 'failed'],
      updated_before: '2026-11-01T00:00:00.000Z',
    });
  });

  it('reads a day as the start of that local day', () => {
    expect(updatedBeforeToIso('2026-11-01')).toBe(new Date(2026, 10, 1).toISOString());
  });
});

describe('chips and helpers', () => {
  const filters = normalizeFilters({
    agentId: 'agent_1',
    workflowId: 'wf',
    statuses: ['failed', 'waiting_for_input'],
    updatedBefore: '2026-11-01',
  });

  it('lists one chip per active filter', () => {
    expect(filterChips(filters)).toEqual([
      { key: 'agentId', name: 'agent', value: 'agent_1' },
      { key: 'workflowId', name: 'workflow', value: 'wf' },
      { key: 'statuses', name: 'status', value: 'Waiting for input, Failed' },
      { key: 'updatedBefore', name: 'not updated since', value: '2026-11-01' },
    ]);
    expect(filterChips(EMPTY_FILTERS)).toEqual([]);
  });

  it('removes one filter, compares and detects activity', () => {
    expect(withoutFilter(filters, 'statuses').statuses).toEqual([]);
    expect(withoutFilter(filters, 'agentId').agentId).toBeNull();
    expect(hasActiveFilters(filters)).toBe(true);
    expect(hasActiveFilters(EMPTY_FILTERS)).toBe(false);
    expect(sameFilters(filters, normalizeFilters({ ...filters }))).toBe(true);
    expect(sameFilters(filters, withoutFilter(filters, 'workflowId'))).toBe(false);
  });
});

describe('search in the URL', () => {
  it('reads q and repeated where, canonical and deduplicated; drops what is not valid', () => {
    const state = parseSearch(
      `?q=${encodeURIComponent('  Alice@Example.com ')}&where=${encodeURIComponent('customer.email="a,b"')}&where=${encodeURIComponent('customer.email = "a,b"')}&where=${encodeURIComponent('bad =')}&where=${encodeURIComponent('n>750727362669608961')}`,
    );
    expect(state.filters.q).toBe('Alice@Example.com');
    expect(state.filters.where).toEqual(['customer.email = "a,b"', 'n > 750727362669608961']);
    expect(parseSearch('?q=ab').filters.q).toBeNull();
  });

  it('writes one where parameter per condition and sends them repeated to the API', () => {
    const filters = normalizeFilters({ q: 'alice', where: ['a = 1', 'b exists'] });
    expect(serializeSearch({ filters, contextId: null })).toBe('q=alice&where=a%20%3D%201&where=b%20exists');
    expect(toListQuery(filters)).toEqual({ q: 'alice', where: { repeated: ['a = 1', 'b exists'] } });
    expect(hasActiveFilters(filters)).toBe(true);
  });

  it('has a chip per condition, removable one by one', () => {
    const filters = normalizeFilters({ q: 'alice', where: ['a = 1', 'b exists'] });
    expect(filterChips(filters)).toEqual([
      { key: 'q', name: 'contains', value: 'alice' },
      { key: 'where', index: 0, name: 'where', value: 'a = 1' },
      { key: 'where', index: 1, name: 'where', value: 'b exists' },
    ]);
    expect(withoutFilter(filters, 'where', 0).where).toEqual(['b exists']);
    expect(withoutFilter(filters, 'q').q).toBeNull();
  });
});
