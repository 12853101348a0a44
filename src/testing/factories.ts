/**
 * Test data factories typed from the contract. Deterministic: the n-th call gives the
 * same ids and dates in every run (call `resetFactories()` to start over).
 */
import { CONTEXT_STATUSES } from '@contract/constants';
import { toSummary } from '@contract/summary';
import type { ExecutionContext, ExecutionContextSummary } from '@contract/types';

let sequence = 0;
const BASE_TIME = Date.parse('2026-11-22T10:00:00.000Z');

export function resetFactories(): void {
  sequence = 0;
}

/** ctx_ + 16 characters, like the server's ULID-based ids. */
export const contextId = (n: number): string => `ctx_01JD${String(n).padStart(12, '0')}`;

export function makeContext(overrides: Partial<ExecutionContext> = {}): ExecutionContext {
  sequence += 1;
  const n = sequence;
  // Newest first, like the API: later calls are older.
  const created = new Date(BASE_TIME - n * 60_000).toISOString();
  return {
    id: contextId(n),
    agent_id: `agent_${(n % 7) + 1}`,
    workflow_id: `wf_${['onboarding', 'billing', 'support'][n % 3]}`,
    session_id: `session_${1000 + n}`,
    context: { current_step: 'processing', progress: (n * 13) % 100, notes: [`step ${n}`] },
    status: CONTEXT_STATUSES[n % CONTEXT_STATUSES.length] ?? 'idle',
    created_at: created,
    updated_at: created,
    ...overrides,
  };
}

export function makeSummary(overrides: Partial<ExecutionContext> = {}): ExecutionContextSummary {
  return toSummary(makeContext(overrides));
}

export function makeContexts(count: number, overrides: Partial<ExecutionContext> = {}): ExecutionContext[] {
  return Array.from({ length: count }, () => makeContext(overrides));
}

export function makeSummaries(count: number, overrides: Partial<ExecutionContext> = {}): ExecutionContextSummary[] {
  return Array.from({ length: count }, () => makeSummary(overrides));
}
