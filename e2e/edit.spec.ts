/**
 * Editing a context in the drawer, in Chromium against the real server: typing into
 * Monaco, the review diff, saving with If-Match, concurrent changes by another client
 * (different key: both survive; same key: the conflict is shown and the user's choice
 * lands), viewers without an Edit control, and the Monaco chunk loading only on Edit.
 *
 * Each test creates its own context through the API (editor key) so tests never depend
 * on the demo data or on each other.
 */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

/**
 * Test data here is small plain JSON (no big numbers), so `response.json()` reads it
 * exactly; e2e/fidelity.spec.ts covers numbers JSON.parse would change, reading raw text.
 */
type PlainJson = string | number | boolean | null | PlainJson[] | { [key: string]: PlainJson };
type JsonObject = { [key: string]: PlainJson };
interface ExecutionContext {
  id: string;
  context: JsonObject | null;
}

const API = `${E2E_SERVERS.main.url}/api/ai/execution-contexts`;
const auth = (role: keyof typeof E2E_KEYS) => ({ Authorization: `Bearer ${E2E_KEYS[role]}` });

async function createContext(request: APIRequestContext, context: JsonObject): Promise<ExecutionContext> {
  const response = await request.post(API, {
    headers: auth('editor'),
    data: { agent_id: 'agent_e2e_edit', workflow_id: 'wf_e2e_edit', session_id: 'session_e2e', context },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as ExecutionContext;
}

async function readContext(request: APIRequestContext, id: string): Promise<{ context: ExecutionContext; etag: string | null }> {
  const response = await request.get(`${API}/${id}`, { headers: auth('viewer') });
  expect(response.status()).toBe(200);
  return { context: (await response.json()) as ExecutionContext, etag: response.headers()['etag'] ?? null };
}

/** Another client saves (no If-Match, like the seed's SDK). */
async function otherClientSaves(request: APIRequestContext, id: string, context: JsonObject): Promise<void> {
  const response = await request.patch(`${API}/${id}`, { headers: auth('admin'), data: { context } });
  expect(response.status()).toBe(200);
}

/** Editor drafts in this tab's sessionStorage (src/features/context-editor/lib/draft-storage.ts). */
const draftCount = (page: Page) =>
  page.evaluate(
    () => Object.keys(sessionStorage).filter((key) => key.startsWith('ecc:editor-draft:') && !key.endsWith('#base')).length,
  );

const drawer = (page: Page, id: string) => page.getByRole('dialog', { name: id });

/**
 * Signs in, then opens the context by its link. (Signing in on the link itself works too,
 * but the open modal drawer hides the header that `signIn` waits for.)
 */
async function openAs(page: Page, role: keyof typeof E2E_KEYS, id: string): Promise<void> {
  await signIn(page, role);
  await page.goto(`/contexts?context=${encodeURIComponent(id)}`);
  await expect(drawer(page, id)).toBeVisible();
}

/** Opens the context's drawer, presses Edit and waits until Monaco accepts input. */
async function startEditing(page: Page, id: string): Promise<Locator> {
  const dialog = drawer(page, id);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Edit' }).click();
  const editor = dialog.locator('.monaco-editor').first();
  await expect(editor).toBeVisible();
  await expect(editor.locator('.view-lines')).toContainText('"progress"');
  return editor;
}

/**
 * Replaces the value of `"progress"` by typing, the way a person would: click into the
 * editor, go to the line, select the number with the keyboard, type the new one.
 */
async function typeProgress(page: Page, editor: Locator, value: number): Promise<void> {
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  const line = editor.locator('.view-line', { hasText: '"progress"' });
  await line.click();
  await page.keyboard.press('End');
  // The value is the last token on its line (no trailing comma in these documents).
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await page.keyboard.type(String(value));
  await expect(editor.locator('.view-lines')).toContainText(`"progress": ${value}`);
}

test.describe('editing a context', () => {
  // No uncaught error in the page during or after an edit (the DiffEditor used to throw
  // "TextModel got disposed before DiffEditorWidget model got reset" on every save).
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  });
  test.afterEach(async ({ page }) => {
    // Disposal runs a task after the save's last render: give it time to throw, if it would.
    if (!page.isClosed()) await page.waitForTimeout(300);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('an editor types into Monaco, reviews the diff and saves; Monaco loads only on Edit', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', progress: 75 });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await openAs(page, 'editor', created.id);
    const dialog = drawer(page, created.id);
    await expect(dialog.getByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(dialog).toContainText('"processing"');

    // Nothing of the editor has been fetched yet: not the chunk, not Monaco, not a worker.
    const editorAssets = (urls: string[]) => urls.filter((u) => /context-editor|editor\.api|\.worker|monaco/i.test(u));
    expect(editorAssets(requested)).toEqual([]);

    const editor = await startEditing(page, created.id);
    expect(editorAssets(requested).some((u) => /context-editor-.*\.js$/.test(u))).toBe(true);

    await typeProgress(page, editor, 90);
    await page.keyboard.press('ControlOrMeta+s');

    const review = dialog.getByRole('region', { name: /Review: 1 key changed/ });
    await expect(review).toBeVisible();
    await expect(review.getByRole('list', { name: 'Changed keys' })).toContainText('progress');
    await expect(review.locator('.monaco-diff-editor')).toBeVisible();
    await expect(review.locator('.monaco-diff-editor .modified')).toContainText('"progress": 90');

    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(page.getByText(`Saved ${created.id}: 1 key changed`)).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Edit' })).toBeVisible();

    const saved = await readContext(request, created.id);
    expect(saved.context.context).toEqual({ current_step: 'processing', progress: 90 });
    expect(saved.etag).toBe('"v2"');
  });

  test('another client changes a different key while the user edits: both changes survive', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', progress: 75 });
    await openAs(page, 'editor', created.id);
    const editor = await startEditing(page, created.id);
    await typeProgress(page, editor, 90);

    await otherClientSaves(request, created.id, { current_step: 'validation', progress: 75 });
    const dialog = drawer(page, created.id);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const review = dialog.getByRole('region', { name: /Review: 1 key changed/ });
    await expect(review.locator('.monaco-diff-editor .modified')).toContainText('"current_step": "validation"');
    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(page.getByText(`Saved ${created.id}: 1 key changed`)).toBeVisible();

    const saved = await readContext(request, created.id);
    expect(saved.context.context).toEqual({ current_step: 'validation', progress: 90 });
  });

  test('a save between the review and the confirmation (412) is merged and shown again', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', attempts: 1, progress: 75 });
    await openAs(page, 'editor', created.id);
    const editor = await startEditing(page, created.id);
    await typeProgress(page, editor, 90);
    const dialog = drawer(page, created.id);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByRole('region', { name: /Review/ })).toBeVisible();

    await otherClientSaves(request, created.id, { current_step: 'processing', attempts: 2, progress: 75 });
    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(dialog.getByText('Someone else saved v2 while you were working')).toBeVisible();
    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(page.getByText(`Saved ${created.id}: 1 key changed`)).toBeVisible();

    const saved = await readContext(request, created.id);
    expect(saved.context.context).toEqual({ current_step: 'processing', progress: 90, attempts: 2 });
  });

  test('another client changes the same keys: the conflict is shown and the user choices land', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', progress: 75 });
    await openAs(page, 'editor', created.id);
    const editor = await startEditing(page, created.id);
    await typeProgress(page, editor, 90);
    // Also change current_step in the editor: select its value (between the quotes) and retype it.
    const stepLine = editor.locator('.view-line', { hasText: '"current_step"' });
    await stepLine.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft'); // before the comma
    await page.keyboard.press('ArrowLeft'); // before the closing quote
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.type('review');
    await expect(editor.locator('.view-lines')).toContainText('"current_step": "review"');

    await otherClientSaves(request, created.id, { current_step: 'validation', progress: 80 });
    const dialog = drawer(page, created.id);
    await dialog.getByRole('button', { name: 'Save' }).click();

    const conflicts = dialog.getByRole('region', { name: 'Resolve 2 conflicts' });
    await expect(conflicts).toBeVisible();
    const progress = conflicts.getByRole('group', { name: 'progress' });
    await expect(progress).toContainText('75');
    await expect(progress).toContainText('90');
    await expect(progress).toContainText('80');
    const next = dialog.getByRole('button', { name: 'Review merged result' });
    await expect(next).toBeDisabled();

    await progress.getByRole('radio', { name: 'Keep mine' }).check();
    await conflicts.getByRole('group', { name: 'current_step' }).getByRole('radio', { name: 'Keep theirs' }).check();
    await next.click();
    const review = dialog.getByRole('region', { name: /Review: 1 key changed/ });
    await expect(review.locator('.monaco-diff-editor .modified')).toContainText('"progress": 90');
    await dialog.getByRole('button', { name: 'Confirm save' }).click();
    await expect(page.getByText(`Saved ${created.id}: 1 key changed`)).toBeVisible();

    const saved = await readContext(request, created.id);
    expect(saved.context.context).toEqual({ current_step: 'validation', progress: 90 });
  });

  test('Escape belongs to Monaco; unsaved edits survive a reload and closing asks first', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', progress: 75 });
    await openAs(page, 'editor', created.id);
    const editor = await startEditing(page, created.id);
    await typeProgress(page, editor, 33);

    // Escape closes Monaco's find widget, not the drawer.
    await page.keyboard.press('ControlOrMeta+f');
    const find = editor.locator('.find-widget.visible');
    await expect(find).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(find).toHaveCount(0);
    const dialog = drawer(page, created.id);
    await expect(dialog).toBeVisible();

    // The draft is kept in this tab: a reload reopens the editor with it.
    await expect.poll(() => draftCount(page)).toBe(1);
    await page.reload();
    await expect(dialog.getByText('Restored your unsaved draft')).toBeVisible();
    await expect(dialog.locator('.monaco-editor .view-lines').first()).toContainText('"progress": 33');

    // Closing with unsaved edits asks; keeping them keeps the editor.
    await dialog.getByRole('button', { name: 'Close context' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Discard your unsaved edits?' });
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Close context' }).click();
    await confirm.getByRole('button', { name: 'Discard and close' }).click();
    await expect(dialog).toHaveCount(0);
    expect(await draftCount(page)).toBe(0);
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('ecc:editor-draft:')))).toEqual([]);
    expect((await readContext(request, created.id)).context.context).toEqual({ current_step: 'processing', progress: 75 });
  });

  test('a viewer sees no Edit control', async ({ page, request }) => {
    const created = await createContext(request, { current_step: 'processing', progress: 75 });
    await openAs(page, 'viewer', created.id);
    const dialog = drawer(page, created.id);
    await expect(dialog).toContainText('"processing"');
    // The drawer's editing pieces load lazily: once everything has arrived, still no Edit.
    await page.waitForLoadState('networkidle');
    await expect(dialog.getByRole('button', { name: 'Copy id' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(page.locator('.monaco-editor')).toHaveCount(0);
  });
});
