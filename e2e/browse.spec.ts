/**
 * Browsing contexts in Chromium against the real server (demo data): first rows, infinite
 * scroll with the cursor, filters in the URL (reload and a copied link reproduce the view,
 * Back/Forward move between views), `?context=<id>` and the drawer's JSON compared with
 * the API's, and axe checks of the table and the open drawer.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { ExecutionContext } from '../contract/types';
import { expect, signIn, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const table = (page: Page) => page.getByRole('table', { name: 'Execution contexts' });
const bodyRows = (page: Page) => table(page).locator('tbody tr[data-context-id]');

/** GET by id with the viewer's key: the reference the drawer must match. */
async function apiContext(id: string): Promise<ExecutionContext> {
  const res = await fetch(`${E2E_SERVERS.main.url}/api/ai/execution-contexts/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${E2E_KEYS.viewer}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ExecutionContext;
}

/** Every line of the JSON viewer, collected by scrolling it from top to bottom. */
async function viewerLines(page: Page): Promise<string[]> {
  const region = page.getByRole('region', { name: /^Context JSON, [\d,]+ lines$/ });
  const total = Number((await region.getAttribute('aria-label'))?.match(/([\d,]+) lines/)?.[1]?.replace(/,/g, ''));
  const lines = new Map<number, string>();
  await region.evaluate((el) => (el.scrollTop = 0));
  for (let guard = 0; guard < 500 && lines.size < total; guard++) {
    const batch = await region.locator('[data-line]').evaluateAll((els) =>
      els.map((el) => ({
        n: Number((el as HTMLElement).dataset.line),
        depth: Number((el as HTMLElement).dataset.depth),
        text: el.querySelector('.jv__text')?.textContent ?? '',
      })),
    );
    // The viewer indents with padding, not spaces: rebuild the text's two spaces per level.
    for (const { n, depth, text } of batch) lines.set(n, ' '.repeat(depth * 2) + text);
    await region.evaluate((el) => (el.scrollTop += el.clientHeight - 40));
    await page.waitForTimeout(30);
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

async function seriousViolations(builder: AxeBuilder) {
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.describe('browsing contexts', () => {
  test('first rows appear and scrolling loads the next page with the cursor', async ({ page }) => {
    await signIn(page, 'viewer');
    await expect(bodyRows(page).first()).toBeVisible();
    expect(await bodyRows(page).count()).toBeGreaterThan(10);
    await expect(page.getByText('100 contexts loaded · more below')).toBeVisible();

    const nextPage = page.waitForRequest((request) => {
      const url = new URL(request.url());
      return url.pathname === '/api/ai/execution-contexts' && url.searchParams.has('after');
    });
    await table(page).locator('..').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const request = await nextPage;
    const params = new URL(request.url()).searchParams;
    expect(params.get('per_page')).toBe('100');
    expect(params.get('view')).toBe('summary');
    await expect(page.getByText(/^200 contexts loaded/)).toBeVisible();
    // Virtualized: the DOM holds a window of rows, not all of them.
    expect(await bodyRows(page).count()).toBeLessThanOrEqual(60);
  });

  test('a filter narrows the rows and lives in the URL; reload, a copied link and Back restore views', async ({
    page,
    browser,
  }) => {
    await signIn(page, 'viewer');
    const agent = (await bodyRows(page).first().locator('td').nth(2).textContent())?.trim() ?? '';
    expect(agent).toMatch(/^agent_/);

    await page.getByRole('textbox', { name: 'Agent id' }).fill(agent);
    await expect(page).toHaveURL(new RegExp(`\\?agent_id=${agent}$`));
    await expect(page.getByRole('button', { name: `Remove filter agent: ${agent}` })).toBeVisible();
    await expect(bodyRows(page).first()).toBeVisible();
    await expect(async () => {
      const agents = await bodyRows(page).locator('td:nth-child(3)').allTextContents();
      expect(agents.length).toBeGreaterThan(0);
      expect(new Set(agents)).toEqual(new Set([agent]));
    }).toPass();

    await page.getByRole('button', { name: /^Status:/ }).click();
    await page.getByRole('checkbox', { name: 'Failed' }).check();
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(new RegExp(`\\?agent_id=${agent}&status=failed$`));
    const url = page.url();
    const ids = async (p: Page) => {
      await expect(bodyRows(p).first().or(p.getByText('No contexts match these filters'))).toBeVisible();
      return bodyRows(p).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.contextId));
    };
    const shown = await ids(page);

    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Agent id' })).toHaveValue(agent);
    await expect(page.getByRole('button', { name: 'Status: Failed', exact: true })).toBeVisible();
    expect(await ids(page)).toEqual(shown);

    // A copied link, opened by someone else (a new browser context: new sign-in).
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const second = await other.newPage();
    await second.goto(url);
    await signIn(second, 'viewer', null);
    expect(second.url()).toBe(url);
    await expect(second.getByRole('textbox', { name: 'Agent id' })).toHaveValue(agent);
    expect(await ids(second)).toEqual(shown);
    await other.close();

    // Back: the view before the status filter; Forward: with it again.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`\\?agent_id=${agent}$`));
    await expect(page.getByRole('button', { name: 'Status: any' })).toBeVisible();
    await page.goForward();
    await expect(page.getByRole('button', { name: 'Status: Failed', exact: true })).toBeVisible();
  });

  test('?context=<id> opens the drawer with the JSON exactly as the API returns it', async ({ page, context }) => {
    await signIn(page, 'viewer');
    const id = (await bodyRows(page).nth(3).getAttribute('data-context-id')) as string;
    const reference = await apiContext(id);

    await page.goto(`/contexts?context=${encodeURIComponent(id)}`);
    const dialog = page.getByRole('dialog', { name: id });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText(reference.agent_id ?? 'none', { exact: true }).first()).toBeVisible();
    const expected = JSON.stringify(reference.context, null, 2);
    expect((await viewerLines(page)).join('\n')).toBe(expected);

    // Copy JSON puts the same text on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await dialog.getByRole('button', { name: 'Copy JSON' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

    // Esc closes it and the URL forgets the context.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect(new URL(page.url()).search).toBe('');
  });

  test('opening a row with the keyboard, closing returns focus to the row', async ({ page }) => {
    await signIn(page, 'viewer');
    await expect(bodyRows(page).first()).toBeVisible();
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search contexts' })).toBeFocused();
    await bodyRows(page).first().click({ position: { x: 600, y: 10 } });
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(bodyRows(page).first()).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    const third = bodyRows(page).nth(2);
    await expect(third).toBeFocused();
    const id = (await third.getAttribute('data-context-id')) as string;
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: id })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(third).toBeFocused();
  });

  test('go to context: a missing id is said plainly', async ({ page }) => {
    await signIn(page, 'viewer');
    await page.getByRole('textbox', { name: 'Go to context' }).fill('ctx_does_not_exist');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByText('No context with id “ctx_does_not_exist” exists.')).toBeVisible();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`axe: the table and the open drawer have no serious violations (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await signIn(page, 'viewer', '/contexts?status=failed,interrupted,completed,idle,running,waiting_for_input');
      await expect(bodyRows(page).first()).toBeVisible();
      expect(await seriousViolations(new AxeBuilder({ page }))).toEqual([]);

      // A context with some JSON to search (other specs may have added empty ones).
      await bodyRows(page).filter({ hasText: 'current_step' }).first().click({ position: { x: 600, y: 10 } });
      const dialog = page.getByRole('dialog');
      await expect(dialog.locator('[data-line]').first()).toBeVisible();
      // The editor's slot swaps in its own body (holding the same viewer) once its lazy
      // chunk arrives; search after that, or the swap would clear the find box.
      await page.waitForLoadState('networkidle');
      await dialog.getByRole('searchbox', { name: 'Find in JSON' }).fill('current_step');
      await expect(dialog.getByText(/^1 of \d+/)).toBeVisible();
      expect(await seriousViolations(new AxeBuilder({ page }).include('[role="dialog"]'))).toEqual([]);
    });
  }
});
