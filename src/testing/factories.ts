/**
 * Test data factories typed from the contract. Deterministic: the n-th call gives the
 * same ids and dates in every run (call `resetFactories()` to start over).
 */
import { CONTEXT_STATUSES } from '@contract/constants';
import { toSummary } from '@contract/summary';
import type { ExecutionContext, ExecutionContextSummary, JsonObject } from '@contract/types';
import { toJsonValue } from '@/lib/context-json';

/**
 * Overrides for a made context. `context` may be written as a plain object literal
 * (`{ progress: 75 }`): it becomes the lossless value the app holds (numbers as their
 * shortest text, members in order). Pass a lossless Map for exact spellings.
 */
export type ContextOverrides = Partial<Omit<ExecutionContext, 'context'>> & { context?: unknown };

/** A plain object literal as the lossless context value the dashboard holds. */
export const losslessContext = (plain: unknown): JsonObject | null => {
  if (plain === null) return null;
  const value = toJsonValue(plain);
  if (!(value instanceof Map)) throw new TypeError('a context is an object or null');
  return value;
};

let sequence = 0;
const BASE_TIME = Date.parse('2026-11-22T10:00:00.000Z');

export function resetFactories(): void {
  sequence = 0;
}

/** ctx_ + 16 characters, like the server's ULID-based ids. */
export const contextId = (n: number): string => `ctx_01JD${String(n).padStart(12, '0')}`;

export function makeContext({ context, ...overrides }: ContextOverrides = {}): ExecutionContext {
  sequence += 1;
  const n = sequence;
  // Newest first, like the API: later calls are older.
  const created = new Date(BASE_TIME - n * 60_000).toISOString();
  return {
    id: contextId(n),
    agent_id: `agent_${(n % 7) + 1}`,
    workflow_id: `wf_${['onboarding', 'billing', 'support'][n % 3]}`,
    session_id: `session_${1000 + n}`,
    context: losslessContext(context === undefined ? { current_step: 'processing', progress: (n * 13) % 100, notes: [`step ${n}`] } : context),
    status: CONTEXT_STATUSES[n % CONTEXT_STATUSES.length] ?? 'idle',
    created_at: created,
    updated_at: created,
    ...overrides,
  };
}

export function makeSummary(overrides: ContextOverrides = {}): ExecutionContextSummary {
  return toSummary(makeContext(overrides));
}

export function makeContexts(count: number, overrides: ContextOverrides = {}): ExecutionContext[] {
  return Array.from({ length: count }, () => makeContext(overrides));
}

export function makeSummaries(count: number, overrides: ContextOverrides = {}): ExecutionContextSummary[] {
  return Array.from({ length: count }, () => makeSummary(overrides));
}
