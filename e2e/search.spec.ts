/**
 * Search in contexts (issue 10) in Chromium against the real server: an email that exists
 * only inside one context's JSON is found from the search box, the opened result shows it
 * highlighted in the JSON viewer, and a reload (the URL holds the search) shows the same
 * results.
 */
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const table = (page: Page) => page.getByRole('table', { name: 'Execution contexts' });
const bodyRows = (page: Page) => table(page).locator('tbody tr[data-context-id]');

test('search by an email found only inside a context, open it highlighted, reload', async ({ page }) => {
  // A unique address, mixed case in the context: the search is case-insensitive.
  const email = `Search.E2E.${Date.now()}@Example.test`;
  const created = await fetch(`${E2E_SERVERS.main.url}/api/ai/execution-contexts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${E2E_KEYS.editor}`, 'Content-Type': 'application/json' },
    // fidelity-ok: a small test body.
    body: JSON.stringify({
      agent_id: 'agent_e2e_search',
      context: { step: 'checkout', customer: { name: 'E2E', email }, order: 91234, notes: ['x', 'y'] },
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await signIn(page, 'viewer');
  await expect(bodyRows(page).first()).toBeVisible();
  const box = page.getByRole('searchbox', { name: 'Search contexts' });
  await box.fill(email.toLowerCase());
  await box.press('Enter');
  await expect(page).toHaveURL(/[?&]q=search\.e2e\./);
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(bodyRows(page).first()).toHaveAttribute('data-context-id', id);
  await expect(page.getByRole('button', { name: `Remove filter contains: ${email.toLowerCase()}` })).toBeVisible();

  await bodyRows(page).first().click();
  const drawer = page.getByRole('dialog', { name: id });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('searchbox', { name: 'Find in JSON' })).toHaveValue(email.toLowerCase());
  await expect(drawer.getByText('1 of 1')).toBeVisible();
  const mark = drawer.locator('.jv-mark--current');
  await expect(mark).toHaveText(email);
  await expect(mark).toBeInViewport();

  // After a reload the URL reopens the drawer, a modal dialog: the page behind it (the
  // search box included) is hidden from assistive technology until it closes.
  await page.reload();
  await expect(page.getByRole('dialog', { name: id })).toBeVisible();
  await expect(page.getByRole('dialog', { name: id }).locator('.jv-mark--current')).toHaveText(email);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search contexts' })).toHaveValue(email.toLowerCase());
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(bodyRows(page).first()).toHaveAttribute('data-context-id', id);
});
