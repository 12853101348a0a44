/**
 * Shared setup of the bulk-delete component tests: the whole app (frame with its header
 * status slot, the contexts page) against the fake API, with unlimited budgets and sized
 * elements so that react-virtual renders rows.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import type { Role } from '@contract/constants';
import type { ExecutionContext } from '@contract/types';
import { configureRateBudgets } from '@/lib/rate-limits';
import { TEST_RATE_LIMITS, mockElementSize, renderApp, resetFactories, server } from '@/testing';
import { deleteJobs } from '../hooks/use-delete-jobs';
import { fakeBulkApi } from './fake-api';

/** Registers the hooks every bulk-delete component test needs. */
export function installBulkDeleteTestHooks(): void {
  let restoreSize: () => void = () => {};
  beforeEach(() => {
    resetFactories();
    configureRateBudgets(TEST_RATE_LIMITS);
    restoreSize = mockElementSize({ width: 1400, height: 900 });
  });
  afterEach(() => {
    // The job store is per tab (module-level): no job may leak into the next test.
    deleteJobs.reset();
    restoreSize();
  });
}

export function renderBulk(contexts: ExecutionContext[], { role = 'admin', route = '/contexts' }: { role?: Role; route?: string } = {}) {
  const api = fakeBulkApi(contexts);
  server.use(...api.handlers);
  const rendered = renderApp({ route, role });
  return { api, ...rendered };
}

export const table = () => screen.getByRole('table', { name: 'Execution contexts' });
export const bodyRows = () => within(table()).getAllByRole('row').filter((r) => r.hasAttribute('data-context-id'));
export const rowIds = () => bodyRows().map((r) => r.getAttribute('data-context-id'));
export const rowBox = (id: string) => screen.getByRole('checkbox', { name: `Select ${id}` });
export const selectionGroup = () => screen.getByRole('group', { name: 'Selection' });
/** The confirmation loads lazily (its own chunk), so it is awaited. */
export const confirmDialog = () => screen.findByRole('alertdialog');
