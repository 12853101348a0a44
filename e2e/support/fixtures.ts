/**
 * Shared helpers for Playwright specs.
 *
 *   import { expect, signIn, test } from './support/fixtures';
 *   test('…', async ({ page }) => { await signIn(page, 'admin'); … });
 *
 * Or use the `signedInAs` fixture option: `test.use({ signedInAs: 'editor' })` signs in
 * before each test and starts on /contexts.
 */
import { expect, test as base, type Page } from '@playwright/test';
import type { Role } from '../../contract/constants';
import { E2E_KEYS } from './servers';

export const PRODUCT_NAME = 'Execution Context Console';

/** The sign-in form's controls, by role and accessible name. */
export const signInForm = (page: Page) => ({
  apiKey: page.getByRole('textbox', { name: 'API key' }),
  submit: page.getByRole('button', { name: 'Sign in' }),
});

/** The frame's header (the banner landmark). */
export const appHeader = (page: Page) => page.getByRole('banner');

/**
 * Signs in through the UI with the e2e server's key for `role`. Navigates to `path`
 * first (default /contexts), unless the page is already showing the sign-in form.
 * Resolves once the frame shows the role.
 */
export async function signIn(page: Page, role: Role, path: string | null = '/contexts'): Promise<void> {
  if (path !== null) await page.goto(path);
  const form = signInForm(page);
  await form.apiKey.fill(E2E_KEYS[role]);
  await form.submit.click();
  await expect(appHeader(page)).toContainText(`Signed in as ${role}`);
}

/** Signs out through the frame's button and waits for the sign-in form. */
export async function signOut(page: Page): Promise<void> {
  await appHeader(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(signInForm(page).apiKey).toBeVisible();
}

export const test = base.extend<{ signedInAs: Role | null }>({
  signedInAs: [null, { option: true }],
  page: async ({ page, signedInAs }, use) => {
    if (signedInAs) await signIn(page, signedInAs);
    await use(page);
  },
});

export { expect };
