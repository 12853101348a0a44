import AxeBuilder from '@axe-core/playwright';
import { appHeader, expect, PRODUCT_NAME, signIn, signInForm, signOut, test } from './support/fixtures';
import { E2E_KEYS } from './support/servers';

test.describe('signing in and out', () => {
  test('a viewer signs in with the key and sees the frame with the role', async ({ page }) => {
    await page.goto('/contexts');
    const form = signInForm(page);
    await expect(page.getByRole('heading', { level: 1, name: PRODUCT_NAME })).toBeVisible();
    await expect(form.apiKey).toHaveAttribute('type', 'password');

    await form.apiKey.fill(E2E_KEYS.viewer);
    await form.submit.click();

    const header = appHeader(page);
    await expect(header.getByRole('link', { name: PRODUCT_NAME })).toBeVisible();
    await expect(header).toContainText('Signed in as viewer');
    await expect(header.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contexts' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    // The key is exchanged for an HttpOnly cookie, never kept in the page.
    expect(page.url()).not.toContain(E2E_KEYS.viewer);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(E2E_KEYS.viewer);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'ecc_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  test('a wrong key shows an error and no frame', async ({ page }) => {
    await page.goto('/contexts');
    const form = signInForm(page);
    await form.apiKey.fill('definitely-not-a-key');
    await form.submit.click();
    await expect(page.getByRole('alert')).toContainText('That key is not recognised');
    await expect(form.apiKey).toBeFocused();
    await expect(appHeader(page)).toHaveCount(0);
  });

  test('signing out returns to sign-in; the session is gone after reload', async ({ page }) => {
    await signIn(page, 'editor');
    await signOut(page);
    await expect(appHeader(page)).toHaveCount(0);
    await page.reload();
    await expect(signInForm(page).apiKey).toBeVisible();
  });

  test('after a reload you stay signed in (cookie), on the same URL', async ({ page }) => {
    await signIn(page, 'admin', '/contexts?status=failed');
    await page.reload();
    await expect(appHeader(page)).toContainText('Signed in as admin');
    expect(new URL(page.url()).search).toBe('?status=failed');
  });

  test('a shared link opens right after signing in', async ({ page }) => {
    await page.goto('/contexts?status=completed');
    await signIn(page, 'viewer', null);
    expect(new URL(page.url()).pathname).toBe('/contexts');
    expect(new URL(page.url()).search).toBe('?status=completed');
  });

  test('the theme toggle switches and is remembered across reloads', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page, 'viewer');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.getByRole('button', { name: 'Theme: system' }).click();
    await page.getByRole('button', { name: 'Theme: light' }).click();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.getByRole('button', { name: 'Theme: dark' })).toBeVisible();
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  test('an unknown path shows the 404 page inside the frame', async ({ page }) => {
    await signIn(page, 'viewer', '/nowhere');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to contexts' }).click();
    await expect(page).toHaveURL(/\/contexts$/);
  });

  test('sign-in page and frame have no axe violations, in both themes', async ({ page }) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/nowhere');
      await expect(signInForm(page).apiKey).toBeVisible();
      expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
      await signIn(page, 'viewer', null);
      // The 404 page: the frame alone (the contexts screen has its own checks).
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
      await signOut(page);
    }
  });
});
