/**
 * Version history and undo in Chromium against the real server (issue 11).
 *
 * A: an admin creates a named editor key ("e2e editor <n>"); that key edits a context
 *    twice; signed in with it, the drawer's History tab lists both edits under its name;
 *    "Restore this version" on the first version goes through the review and If-Match;
 *    the API then serves the first version's content exactly, as a new version (restore).
 * B: an admin bulk-deletes 12 contexts, presses "Undo" in the report: all 12 are back,
 *    with their ids and content (checked through the API).
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { ContextListResponse, ExecutionContext } from '../contract/types';
import { appHeader, expect, signIn, signInForm, test } from './support/fixtures';
import { E2E_KEYS, E2E_SERVERS } from './support/servers';

const BASE = E2E_SERVERS.main.url;
const API = `${BASE}/api/ai/execution-contexts`;
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const admin = bearer(E2E_KEYS.admin);
const unique = (name: string) => `${name}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

async function createNamedKey(request: APIRequestContext, name: string): Promise<{ id: string; key: string }> {
  const response = await request.post(`${BASE}/api/keys`, { headers: admin, data: { name, role: 'editor' } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

async function signInWithKey(page: Page, key: string, name: string, path: string): Promise<void> {
  await page.goto(path);
  const form = signInForm(page);
  await form.apiKey.fill(key);
  await form.submit.click();
  await expect(appHeader(page)).toContainText(`Signed in as editor — ${name}`);
}

test('A: two edits by a named editor key show in History under its name; restoring the first is exact', async ({ page, request }) => {
  const name = unique('e2e editor');
  const editor = await createNamedKey(request, name);
  const created = await request.post(API, { headers: admin, data: { agent_id: unique('agent_hist'), context: { step: 'zero' } } });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as ExecutionContext).id;
  // Raw bodies: the exact text (big integer, 1.0) must survive the history.
  const firstText = '{"step":"one","id":750727362669608961,"ratio":1.0}';
  for (const text of [firstText, '{"step":"two","id":750727362669608962,"ratio":2.5}']) {
    const patched = await request.patch(`${API}/${id}`, {
      headers: { ...bearer(editor.key), 'content-type': 'application/json' },
      data: `{"context":${text}}`,
    });
    expect(patched.status()).toBe(200);
  }

  await signInWithKey(page, editor.key, name, '/contexts');
  await page.goto(`/contexts?context=${encodeURIComponent(id)}`);
  const drawer = page.getByRole('dialog', { name: id });
  await expect(drawer).toBeVisible();
  await drawer.getByRole('tab', { name: 'History' }).click();
  const versions = drawer.getByRole('list', { name: 'Versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(3);
  await expect(versions.getByRole('listitem').nth(0)).toContainText(`v3 Updated by ${name}`);
  await expect(versions.getByRole('listitem').nth(1)).toContainText(`v2 Updated by ${name}`);
  await expect(versions.getByRole('listitem').nth(2)).toContainText('v1 Created by admin (environment)');

  await drawer.getByRole('button', { name: 'Restore this version (2)' }).click();
  const review = page.getByRole('dialog', { name: 'Restore version 2?' });
  await expect(review).toBeVisible();
  await review.getByRole('button', { name: 'Restore version 2' }).click();
  await expect(review).toBeHidden();
  await expect(versions.getByRole('listitem').nth(0)).toContainText(`v4 Restored by ${name}`);

  const current = await request.get(`${API}/${id}`, { headers: admin });
  expect(current.headers()['etag']).toBe('"v4"');
  expect(await current.text()).toContain(`"context":${firstText},`);
  const list = await request.get(`${API}/${id}/versions`, { headers: admin });
  const body = (await list.json()) as { data: Array<{ version: number; action: string; actor: { name: string; key_id: string } }> };
  expect(body.data.map((v) => [v.version, v.action, v.actor.name])).toEqual([
    [4, 'restore', name],
    [3, 'update', name],
    [2, 'update', name],
    [1, 'create', 'admin (environment)'],
  ]);
});

test('B: bulk-delete 12 as an admin, Undo in the report: all 12 are back with their content', async ({ page, request }) => {
  const agent = unique('agent_undo');
  const created: Array<{ id: string; item: number }> = [];
  for (let i = 0; i < 12; i += 1) {
    // Raw text: 9007199254740993 is not a double; it must come back as written.
    const response = await request.post(API, {
      headers: { ...admin, 'content-type': 'application/json' },
      data: `{"agent_id":"${agent}","context":{"item":${i},"big":9007199254740993,"note":"undo me ${i}"}}`,
    });
    expect(response.status()).toBe(201);
    created.push({ id: ((await response.json()) as { id: string }).id, item: i });
  }

  await signIn(page, 'admin', `/contexts?agent_id=${agent}`);
  await expect(page.getByRole('checkbox', { name: `Select ${created[0]?.id}` })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all loaded rows' }).click();
  const selection = page.getByRole('group', { name: 'Selection' });
  await expect(selection.getByRole('status')).toHaveText('12 selected');
  await selection.getByRole('button', { name: 'Delete…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete 12 contexts?' });
  await expect(confirm).toContainText('an admin can restore them for 7 days');
  await confirm.getByRole('button', { name: 'Delete 12 contexts' }).click();
  const report = page.getByRole('dialog', { name: '12 contexts deleted' });
  await expect(report).toBeVisible({ timeout: 30_000 });
  const listAfterDelete = await request.get(`${API}?agent_id=${agent}`, { headers: admin });
  expect(((await listAfterDelete.json()) as ContextListResponse).data).toHaveLength(0);

  await report.getByRole('button', { name: 'Undo: restore the 12 deleted contexts' }).click();
  const undo = report.getByRole('region', { name: 'Undo' });
  await expect(undo.getByRole('status')).toHaveText('Restored 12 of 12', { timeout: 30_000 });

  const after = await request.get(`${API}?agent_id=${agent}&per_page=100`, { headers: admin });
  const back = ((await after.json()) as ContextListResponse).data;
  expect(back.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
  for (const context of created) {
    const one = await request.get(`${API}/${context.id}`, { headers: admin });
    expect(one.status()).toBe(200);
    const text = await one.text();
    expect(text).toContain(`"context":{"item":${context.item},"big":9007199254740993,`);
  }
  await report.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('checkbox', { name: `Select ${created[0]?.id}` })).toBeVisible();
});
