/**
 * Signing out on a shared computer leaves nothing of the contexts in the browser (issue
 * 12; SECURITY.md S19), in Chromium against the real server: an unsaved edit kept as a
 * draft in sessionStorage is named in a warning, removed on sign-out, and not offered to
 * the next person who signs in at that tab.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { ExecutionContext } from '../contract/types';
import { appHeader, expect, signIn, signInForm, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const API = `${E2E_SERVERS.main.url}/api/ai/execution-contexts`;

async function createContext(request: APIRequestContext, marker: string): Promise<ExecutionContext> {
  const response = await request.post(API, {
    headers: { Authorization: `Bearer ${E2E_KEYS.editor}` },
    data: { agent_id: 'agent_e2e_sign_out', context: { customer: marker, progress: 10 } },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as ExecutionContext;
}

/** Everything this origin keeps in Web Storage, keys and values, as one string. */
const browserStorage = (page: Page) =>
  page.evaluate(() => {
    const dump = (storage: Storage) => Object.entries({ ...storage }).map(([key, value]) => `${key}=${value}`);
    return [...dump(localStorage), ...dump(sessionStorage)].join('\n');
  });

test('an unsaved draft is named before sign-out, removed by it, and not offered to the next person', async ({ page, request }) => {
  const marker = `Jane Roe ${Date.now()}`;
  const typed = `typed-secret-${Date.now()}`;
  const created = await createContext(request, marker);

  // An editor changes the context without saving.
  await signIn(page, 'editor');
  await page.goto(`/contexts?context=${encodeURIComponent(created.id)}`);
  const drawer = page.getByRole('dialog', { name: created.id });
  await drawer.getByRole('button', { name: 'Edit' }).click();
  const editor = drawer.locator('.monaco-editor').first();
  await expect(editor.locator('.view-lines')).toContainText('"progress"');
  await editor.locator('.view-line', { hasText: '"progress"' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(`, "note": "${typed}"`);
  await expect.poll(() => browserStorage(page)).toContain(typed);

  // They leave the drawer by going back (the draft stays, as designed) and sign out.
  await page.goBack();
  await expect(drawer).toHaveCount(0);
  await appHeader(page).getByRole('button', { name: 'Sign out' }).click();
  const warning = page.getByRole('alertdialog', { name: 'Sign out and discard your unsaved draft?' });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('list', { name: 'Contexts with unsaved drafts' })).toContainText(created.id);
  await warning.getByRole('button', { name: 'Discard drafts and sign out' }).click();
  await expect(signInForm(page).apiKey).toBeVisible();
  // Discarding is not "going back": the draft's context is not reopened for the next person.
  expect(new URL(page.url()).searchParams.get('context')).toBeNull();

  // Nothing of the context, and no key, is left in the browser's storage.
  const stored = await browserStorage(page);
  for (const secret of [typed, marker, created.id, 'ecc:editor-draft', ...Object.values(E2E_KEYS)]) {
    expect(stored).not.toContain(secret);
  }

  // The next person signs in at this tab with another role: no draft is offered.
  await signIn(page, 'admin', null);
  await page.goto(`/contexts?context=${encodeURIComponent(created.id)}`);
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText(marker);
  await expect(drawer.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(drawer.getByText('Restored your unsaved draft')).toHaveCount(0);
  await expect(drawer).not.toContainText(typed);
  expect(await browserStorage(page)).not.toContain(typed);
});

test('"Go back to drafts" keeps the draft and the session, and shows the draft’s context', async ({ page, request }) => {
  const created = await createContext(request, `Go back ${Date.now()}`);
  await signIn(page, 'editor');
  await page.goto(`/contexts?context=${encodeURIComponent(created.id)}`);
  const drawer = page.getByRole('dialog', { name: created.id });
  await drawer.getByRole('button', { name: 'Edit' }).click();
  const editor = drawer.locator('.monaco-editor').first();
  await editor.locator('.view-line', { hasText: '"progress"' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(', "kept": true');
  await expect.poll(() => browserStorage(page)).toContain('kept');
  await page.goBack();
  await expect(drawer).toHaveCount(0);

  await appHeader(page).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Go back to drafts' }).click();
  await expect(drawer).toBeVisible();
  expect(new URL(page.url()).searchParams.get('context')).toBe(created.id);
  expect(await browserStorage(page)).toContain('kept');
});
