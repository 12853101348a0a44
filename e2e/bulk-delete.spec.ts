/**
 * Bulk delete in Chromium against the real server with the seeds' rate limits on (the
 * `limits` server: no demo data, deletes 5/s and 50/min, writes 10/s and 50/min).
 *
 * Each scenario creates its own contexts through the API with the admin key, under an
 * agent id of its own, and filters the table to them — so the scenarios depend neither on
 * each other nor on anything else on the server. Creation is paced under the write limit,
 * and both scenarios together delete 19 contexts, well inside one minute's 50.
 *
 * A: 12 contexts of which one is running: select them (click + shift-click), confirm,
 *    watch the progress bar, read the report; then through the API: exactly the 11 idle
 *    ones are gone, the running one is still there (and reported in use), and every
 *    context that was not selected is still there.
 * B: "Select all matching" under a filter deletes exactly the matching set.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { ContextStatus } from '../contract/constants';
import type { ContextListResponse, ExecutionContext } from '../contract/types';
import { expect, signIn, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const BASE = E2E_SERVERS.limits.url;
const API = `${BASE}/api/ai/execution-contexts`;
const headers = { Authorization: `Bearer ${E2E_KEYS.admin}` };
/** ≤ 8 creates a second: under the write burst of 10/s. */
const CREATE_GAP_MS = 125;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (name: string) => `${name}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

interface NewContext {
  agent_id: string;
  workflow_id?: string;
  status?: ContextStatus;
}

/** Creates contexts one by one, paced, waiting out a 429 if another test spent the budget. */
async function createContexts(request: APIRequestContext, inputs: NewContext[]): Promise<ExecutionContext[]> {
  const created: ExecutionContext[] = [];
  for (const input of inputs) {
    for (;;) {
      const response = await request.post(API, {
        headers,
        data: { session_id: null, context: { current_step: 'done', progress: 100 }, ...input },
      });
      if (response.status() === 429) {
        await sleep(Number(response.headers()['retry-after'] ?? '1') * 1000);
        continue;
      }
      expect(response.status()).toBe(201);
      created.push((await response.json()) as ExecutionContext);
      break;
    }
    await sleep(CREATE_GAP_MS);
  }
  return created;
}

/** Every context of an agent, through the API (one page is enough here). */
async function contextsOf(request: APIRequestContext, agentId: string): Promise<ExecutionContext[]> {
  const response = await request.get(`${API}?agent_id=${encodeURIComponent(agentId)}&per_page=100`, { headers });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as ContextListResponse;
  expect(body.has_more).toBe(false);
  return body.data;
}

const ids = (contexts: ExecutionContext[]) => contexts.map((c) => c.id).sort();

/**
 * The progress bar's values until the report replaces the progress (sampled), so that the
 * test sees the bar move and never go back.
 */
async function watchProgress(page: Page, total: number): Promise<number[]> {
  const bar = page.getByRole('dialog').getByRole('progressbar', { name: 'Delete progress' });
  await expect(bar).toHaveAttribute('aria-valuemax', String(total));
  const seen: number[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = Number(await bar.getAttribute('aria-valuenow'));
    if (seen[seen.length - 1] !== value) seen.push(value);
    if (value === total) break;
    await sleep(50);
  }
  return seen;
}

test.describe('bulk delete with the seeds\' limits', () => {
  test('A: 12 selected, one running: the 11 idle ones go, the running one stays and is reported', async ({ page, request }) => {
    const agent = unique('agent_bd_a');
    // Created oldest first, so the list (newest first) shows the targets above the bystanders.
    const bystanders = await createContexts(request, [
      { agent_id: agent, workflow_id: 'wf_keep' },
      { agent_id: agent, workflow_id: 'wf_keep' },
      { agent_id: agent, workflow_id: 'wf_keep' },
    ]);
    const elsewhere = await createContexts(request, [
      { agent_id: unique('agent_bd_other') },
      { agent_id: unique('agent_bd_other') },
    ]);
    const targets = await createContexts(
      request,
      Array.from({ length: 12 }, (_, i) => ({ agent_id: agent, workflow_id: 'wf_old', status: i === 4 ? 'running' : 'idle' })),
    );
    const running = targets[4] as ExecutionContext;
    const idle = targets.filter((t) => t.id !== running.id);
    // Newest first in the table.
    const shown = [...targets].reverse();
    const first = shown[0] as ExecutionContext;
    const last = shown[shown.length - 1] as ExecutionContext;

    await signIn(page, 'admin', `${BASE}/contexts?agent_id=${agent}`);
    await expect(page.getByRole('checkbox', { name: `Select ${first.id}` })).toBeVisible();
    await page.getByRole('checkbox', { name: `Select ${first.id}` }).click();
    await page.getByRole('checkbox', { name: `Select ${last.id}` }).click({ modifiers: ['Shift'] });
    const selection = page.getByRole('group', { name: 'Selection' });
    await expect(selection.getByRole('status')).toHaveText('12 selected');
    for (const bystander of bystanders) await expect(page.getByRole('checkbox', { name: `Select ${bystander.id}` })).not.toBeChecked();

    await selection.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete 12 contexts?' });
    await expect(confirm).toContainText('11 of 12 contexts will be deleted.');
    await expect(confirm).toContainText('1 is in use (running or waiting for input)');
    // DELETED_RETENTION_DAYS is 7 by default: the confirmation says so (issue 11).
    await expect(confirm).toContainText('an admin can restore them for 7 days');
    await expect(confirm.getByRole('list', { name: 'First 10 of 12' }).getByRole('listitem')).toHaveCount(10);
    await expect(confirm).toContainText('and 2 more');
    await confirm.getByRole('button', { name: 'Delete 12 contexts' }).click();

    await expect(page.getByRole('dialog', { name: 'Deleting 12 contexts' })).toBeVisible();
    const values = await watchProgress(page, 12);
    expect(values[values.length - 1]).toBe(12);
    expect(values).toEqual([...values].sort((a, b) => a - b));

    const report = page.getByRole('dialog', { name: '11 of 12 contexts deleted' });
    await expect(report).toBeVisible();
    await expect(report.getByRole('region', { name: 'Deleted 11' })).toBeVisible();
    const inUse = report.getByRole('region', { name: 'In use (kept) 1' });
    await expect(inUse.getByRole('listitem')).toHaveText(running.id);
    await expect(report.getByRole('region', { name: /^Failed/ })).toHaveCount(0);
    await report.getByRole('button', { name: 'Done' }).click();

    // The table: the deleted rows are gone; the running one and the bystanders remain.
    await expect(page.getByRole('checkbox', { name: `Select ${first.id}` })).toHaveCount(0);
    await expect(page.getByRole('checkbox', { name: `Select ${running.id}` })).toBeChecked();
    await expect(page.getByRole('group', { name: 'Selection' }).getByRole('status')).toHaveText('1 selected');

    // The server: exactly the 11 idle ones are gone.
    expect(ids(await contextsOf(request, agent))).toEqual(ids([running, ...bystanders]));
    for (const gone of idle) {
      expect((await request.get(`${API}/${gone.id}`, { headers })).status()).toBe(404);
    }
    for (const other of elsewhere) {
      expect((await request.get(`${API}/${other.id}`, { headers })).status()).toBe(200);
    }
  });

  test('B: "Select all matching" under a filter deletes exactly the matching set', async ({ page, request }) => {
    const agent = unique('agent_bd_b');
    const created = await createContexts(request, [
      ...Array.from({ length: 5 }, () => ({ agent_id: agent, workflow_id: 'wf_keep' })),
      ...Array.from({ length: 7 }, () => ({ agent_id: agent, workflow_id: 'wf_stale' })),
    ]);
    const matching = created.filter((c) => c.workflow_id === 'wf_stale');
    const kept = created.filter((c) => c.workflow_id === 'wf_keep');

    await signIn(page, 'admin', `${BASE}/contexts?agent_id=${agent}&workflow_id=wf_stale`);
    const firstBox = page.getByRole('checkbox', { name: `Select ${matching[matching.length - 1]?.id}` });
    await firstBox.click();
    const selection = page.getByRole('group', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Select all 7 matching' }).click();
    await expect(selection.getByRole('status')).toHaveText('All 7 matching selected');

    await selection.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete 7 contexts?' });
    await expect(confirm).toContainText('7 contexts will be deleted.');
    await confirm.getByRole('button', { name: 'Delete 7 contexts' }).click();
    await watchProgress(page, 7);
    const report = page.getByRole('dialog', { name: '7 contexts deleted' });
    await expect(report).toBeVisible();
    await report.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText('No contexts match these filters')).toBeVisible();

    expect(ids(await contextsOf(request, agent))).toEqual(ids(kept));
  });

  test('leaving the page while a delete runs asks first', async ({ page, request }) => {
    const agent = unique('agent_bd_c');
    // Two in use: the server refuses them, so nothing is spent from the minute's deletes
    // beyond two requests, and the job is still quick.
    const created = await createContexts(request, [
      { agent_id: agent, status: 'running' },
      { agent_id: agent, status: 'waiting_for_input' },
    ]);
    await signIn(page, 'admin', `${BASE}/contexts?agent_id=${agent}`);
    await page.getByRole('checkbox', { name: 'Select all loaded rows' }).click();
    await page.getByRole('group', { name: 'Selection' }).getByRole('button', { name: 'Delete…' }).click();
    // Hold the deletes so the job is still running when the page is left.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/ai/execution-contexts/*', async (route) => {
      if (route.request().method() === 'DELETE') await held;
      await route.continue();
    });
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete 2 contexts' }).click();
    await expect(page.getByRole('dialog', { name: 'Deleting 2 contexts' })).toBeVisible();

    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    release();
    expect(ids(await contextsOf(request, agent))).toEqual(ids(created));
  });
});
