/**
 * JSON fidelity end to end (issue 8), in Chromium against the real server: a context with
 * numbers JSON.parse would change is shown exactly in the drawer (opened through an old
 * `/?context=<id>` link), edited on another key while another client adds a big number,
 * saved with the merge; the stored text — read RAW through the API, never through
 * JSON.parse, which would hide any rounding — has every number exactly, and so does the
 * JSON backup file offered before a delete. Any uncaught page error fails the test.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, signIn, signOut, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const API = `${E2E_SERVERS.main.url}/api/ai/execution-contexts`;
const headers = (role: keyof typeof E2E_KEYS) => ({ Authorization: `Bearer ${E2E_KEYS[role]}`, 'Content-Type': 'application/json' });

/** POSTs a body given as text (so its numbers go out exactly as written); returns the id. */
async function createRaw(request: APIRequestContext, body: string): Promise<string> {
  const response = await request.post(API, { headers: headers('editor'), data: body });
  expect(response.status(), await response.text()).toBe(201);
  // The id is a plain string: no number in it for JSON.parse to change.
  return (JSON.parse(await response.text()) as { id: string }).id; // fidelity-ok: reads the id only
}

/** The stored context's raw response text. */
async function rawText(request: APIRequestContext, id: string): Promise<string> {
  const response = await request.get(`${API}/${id}`, { headers: headers('viewer') });
  expect(response.status()).toBe(200);
  return response.text();
}

/** The drawer's JSON lines as shown (indentation trimmed). */
const shownLines = (page: Page, id: string) =>
  page
    .getByRole('dialog', { name: id })
    .locator('.jv__line .jv__code')
    .allTextContents()
    .then((lines) => lines.map((line) => line.trim()));

test.describe('JSON fidelity', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  });
  test.afterEach(async ({ page }) => {
    if (!page.isClosed()) await page.waitForTimeout(300);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('a big id and 1.10 survive viewing, a concurrent edit, the merge-style save and the backup', async ({ page, request }) => {
    const agent = `agent_e2e_fidelity_${Date.now()}`;
    const id = await createRaw(request, `{"agent_id":"${agent}","context":{"id_big": 750727362669608961, "price": 1.10}}`);
    expect(await rawText(request, id)).toContain('"context":{"id_big":750727362669608961,"price":1.10}');

    // Shown exactly, opened through an old-style link to the site root.
    await signIn(page, 'editor');
    await page.goto(`/?context=${encodeURIComponent(id)}`);
    await expect(page).toHaveURL(new RegExp(`/contexts\\?context=${id}$`));
    const dialog = page.getByRole('dialog', { name: id });
    await expect(dialog.locator('.jv__line').first()).toBeVisible();
    expect(await shownLines(page, id)).toEqual(['{', '"id_big": 750727362669608961,', '"price": 1.10', '}']);
    // Its search finds the big number by its digits.
    await dialog.getByRole('searchbox', { name: 'Find in JSON' }).fill('750727362669608961');
    await expect(dialog.getByText('1 of 1')).toBeVisible();

    // Edit: the editor opens the stored text; the user adds a key of their own.
    await dialog.getByRole('button', { name: 'Edit' }).click();
    const editor = dialog.locator('.monaco-editor').first();
    await expect(editor.locator('.view-lines')).toContainText('"price": 1.10');
    await expect(editor.locator('.view-lines')).toContainText('"id_big": 750727362669608961');
    await editor.locator('.view-line', { hasText: '"price"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"checked": true');
    await expect(editor.locator('.view-lines')).toContainText('"checked": true');

    // Meanwhile another client (a raw HTTP PATCH with the editor key) adds a big number.
    const other = await request.patch(`${API}/${id}`, {
      headers: headers('editor'),
      data: '{"context":{"id_big":750727362669608961,"price":1.10,"other_id":9223372036854775807}}',
    });
    expect(other.status(), await other.text()).toBe(200);

    // Save: merged into the newer version; the diff shows their number exactly.
    await dialog.getByRole('button', { name: 'Save' }).click();
    const review = dialog.getByRole('region', { name: /Review: 1 key changed/ });
    await expect(review.locator('.monaco-diff-editor .modified')).toContainText('"other_id": 9223372036854775807');
    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(page.getByText(`Saved ${id}: 1 key changed`)).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Edit' })).toBeVisible();

    // The stored text, read raw: every number exactly, members in order.
    const stored = await rawText(request, id);
    expect(stored).toContain('"context":{"id_big":750727362669608961,"price":1.10,"other_id":9223372036854775807,"checked":true}');
    // And the drawer shows the saved version exactly.
    await expect.poll(() => shownLines(page, id)).toEqual([
      '{',
      '"id_big": 750727362669608961,',
      '"price": 1.10,',
      '"other_id": 9223372036854775807,',
      '"checked": true',
      '}',
    ]);

    // The JSON backup offered before a delete (admin): the file has every number exactly.
    await dialog.getByRole('button', { name: 'Close context' }).click();
    await expect(dialog).toHaveCount(0);
    await signOut(page);
    await signIn(page, 'admin', `/contexts?agent_id=${agent}`);
    await page.getByRole('checkbox', { name: `Select ${id}` }).click();
    const selection = page.getByRole('group', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Delete 1 context/ });
    const downloading = page.waitForEvent('download');
    await confirm.getByRole('button', { name: 'Download as JSON' }).click();
    const download = await downloading;
    const file = await download.path();
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('"id": "' + id + '"');
    expect(text).toContain(
      '"context": {\n        "id_big": 750727362669608961,\n        "price": 1.10,\n        "other_id": 9223372036854775807,\n        "checked": true\n      }',
    );
    // Nothing was deleted: the dialog is left without confirming.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await rawText(request, id)).toBe(stored);
  });
});
