/**
 * The editor's figures (issue #4), measured in the page itself so that Playwright's own
 * round trips do not count:
 *
 * - Edit → editable Monaco: from the press on "Edit" (its pointerdown) until the editor
 *   has focus and shows its lines. Cold: a fresh browser context (empty HTTP cache), so
 *   the editor chunk, Monaco and the JSON worker are downloaded and compiled; warm: the
 *   second open in the same page (everything loaded, the editor is only created again).
 * - Typing in a 1 MB context: 50 characters typed into a string value, one every 60 ms
 *   (fast typing); per keystroke the time from the keydown event to Monaco's DOM showing
 *   the change (a MutationObserver on its lines), and to the end of the frame that
 *   paints it (a requestAnimationFrame registered after the change). The longest
 *   main-thread task while typing (and just after, when the form parses the document)
 *   is reported too.
 */
import type { Page } from '@playwright/test';
import { median, type BenchEnv, type FigureRow, type Measure } from './harness';

const OPEN_RUNS = Number(process.env.BENCH_UI_EDITOR_RUNS ?? 5);
const TYPED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX'; // 50 characters
const TYPE_DELAY_MS = 60;
const ONE_MB = 1024 * 1024;

declare global {
  interface Window {
    __eccEditStart?: number;
    __eccEditableAt?: number;
    __eccKeys?: { key: number; rendered?: number; framed?: number }[];
    __eccLongTasks?: { start: number; duration: number }[];
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (value: number) => `${Math.round(value)} ms`;
const ms1 = (value: number) => `${value.toFixed(1)} ms`;

/** A small, realistic context for the open measure (the document size barely matters there). */
const SMALL_CONTEXT = {
  current_step: 'processing',
  progress: 75,
  results: { analyzed_documents: 10, extracted_entities: 25 },
  history: Array.from({ length: 40 }, (_, i) => ({ step: `step_${i}`, ok: i % 7 !== 0, ms: 100 + i })),
};

/**
 * About 1 MB of compact JSON. `note` comes first so that it is on line 2 of the
 * pretty-printed document, where the typing happens.
 */
function oneMegabyteContext(): Record<string, unknown> {
  const items: Record<string, unknown>[] = [];
  const context: Record<string, unknown> = { note: 'typed here: ', items };
  let size = JSON.stringify(context).length;
  for (let i = 0; size < ONE_MB; i++) {
    const item = {
      id: `item_${String(i).padStart(6, '0')}`,
      kind: ['document', 'entity', 'message'][i % 3],
      score: Math.round(((i * 7919) % 1000) / 10) / 10,
      tags: [`t${i % 13}`, `t${i % 29}`],
      text: `Extracted passage ${i} of the onboarding run, kept for the reviewer.`,
    };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return context;
}

/** Arms the in-page clock: the next pointerdown on "Edit" starts it; focus + lines stop it. */
async function armEditTimer(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__eccEditStart = undefined;
    window.__eccEditableAt = undefined;
    window.addEventListener(
      'pointerdown',
      (event) => {
        window.__eccEditStart = event.timeStamp;
        const check = () => {
          const active = document.activeElement;
          const editor = active?.closest('.monaco-editor');
          if (editor && editor.querySelector('.view-line')) {
            window.__eccEditableAt = performance.now();
            return;
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      { capture: true, once: true },
    );
  });
}

async function timeEditToEditable(page: Page): Promise<number> {
  await armEditTimer(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
  await page.waitForFunction(() => window.__eccEditableAt !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate(() => (window.__eccEditableAt ?? NaN) - (window.__eccEditStart ?? NaN));
}

async function openDrawer(page: Page, id: string): Promise<void> {
  await page.goto(`/contexts?context=${encodeURIComponent(id)}`);
  await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).waitFor({ timeout: 60_000 });
}

export const editorOpen: Measure = {
  name: 'editor: Edit → editable Monaco',
  async run(env: BenchEnv): Promise<FigureRow[]> {
    const created = await env.createContext({ agent_id: 'bench_editor', workflow_id: 'wf_bench', context: SMALL_CONTEXT });
    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      // A new context each run: empty HTTP cache, nothing of the editor loaded.
      const { context, page } = await env.newSignedInContext('editor');
      await openDrawer(page, created.id);
      cold.push(await timeEditToEditable(page));
      // Leave the editor (nothing changed, so no confirmation) and open it again.
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).waitFor();
      warm.push(await timeEditToEditable(page));
      await context.close();
    }
    env.details.editorOpen = { coldMs: cold.map(Math.round), warmMs: warm.map(Math.round) };
    return [
      {
        name: `Edit → editable Monaco, cold (median of ${cold.length}, empty cache)`,
        value: `${ms(median(cold))} (max ${ms(Math.max(...cold))})`,
        raw: median(cold),
        unit: 'ms',
      },
      {
        name: `Edit → editable Monaco, warm (median of ${warm.length}, second open)`,
        value: `${ms(median(warm))} (max ${ms(Math.max(...warm))})`,
        raw: median(warm),
        unit: 'ms',
      },
    ];
  },
};

/** Issue 8's budget for keystroke → editor updated, p95. */
const TYPING_P95_BUDGET_MS = 20;

export const editorTyping: Measure = {
  name: 'editor: typing in a 1 MB context',
  async run(env: BenchEnv): Promise<FigureRow[]> {
    const doc = oneMegabyteContext();
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    const created = await env.createContext({ agent_id: 'bench_editor', workflow_id: 'wf_bench', context: doc });
    const { context, page } = await env.newSignedInContext('editor');
    await openDrawer(page, created.id);
    await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
    const editor = page.locator('.monaco-editor').first();
    const noteLine = editor.locator('.view-line', { hasText: '"note"' });
    await noteLine.waitFor({ timeout: 60_000 });
    const lines = await editor.evaluate((el) => el.querySelector('.line-numbers') !== null);
    if (!lines) throw new Error('the editor did not render');
    // Put the cursor inside the string: end of line, before `",`.
    await noteLine.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    // Let the editor settle (tokenization, the JSON worker's first validation).
    await page.waitForTimeout(1500);

    await editor.evaluate((el) => {
      const keys: { key: number; rendered?: number; framed?: number }[] = [];
      window.__eccKeys = keys;
      window.__eccLongTasks = [];
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => window.__eccLongTasks?.push({ start: e.startTime, duration: e.duration })),
      ).observe({
        type: 'longtask',
        buffered: false,
      });
      const viewLines = el.querySelector('.view-lines');
      if (!viewLines) throw new Error('no .view-lines');
      window.addEventListener('keydown', (event) => keys.push({ key: event.timeStamp }), { capture: true });
      new MutationObserver(() => {
        const pending = keys.find((k) => k.rendered === undefined);
        if (!pending) return;
        pending.rendered = performance.now();
        // Registered after Monaco's own render callback: runs once this frame's work is done.
        requestAnimationFrame(() => {
          pending.framed = performance.now();
        });
      }).observe(viewLines, { childList: true, subtree: true, characterData: true });
    });
    await page.keyboard.type(TYPED, { delay: TYPE_DELAY_MS });
    // The form takes the text after a pause in typing (and parses 1 MB then): wait past it.
    await page.waitForTimeout(1500);
    const result = await page.evaluate(() => ({ keys: window.__eccKeys ?? [], longTasks: window.__eccLongTasks ?? [] }));
    const typedOk = await editor.locator('.view-line', { hasText: TYPED }).count();
    await context.close();
    if (typedOk === 0) throw new Error('the typed text did not appear in the editor');

    const toRender = result.keys.filter((k) => k.rendered !== undefined).map((k) => (k.rendered as number) - k.key);
    const toFrame = result.keys.filter((k) => k.framed !== undefined).map((k) => (k.framed as number) - k.key);
    const longest = Math.max(0, ...result.longTasks.map((t) => t.duration));
    const lastKey = result.keys[result.keys.length - 1]?.key ?? 0;
    env.details.editorTyping = {
      contextBytes: bytes,
      keystrokes: result.keys.length,
      keyToRenderMs: toRender.map((v) => Math.round(v * 10) / 10),
      keyToFrameMs: toFrame.map((v) => Math.round(v * 10) / 10),
      // When each task over 50 ms started, relative to the last keystroke (negative: while typing).
      longTasks: result.longTasks.map((t) => ({ afterLastKeyMs: Math.round(t.start - lastKey), durationMs: Math.round(t.duration) })),
    };
    const size = `${(bytes / ONE_MB).toFixed(2)} MB`;
    return [
      {
        name: `Typing in a ${size} context: keystroke → editor updated (median / p95 of ${toRender.length})`,
        value: `${ms1(median(toRender))} / ${ms1(percentile(toRender, 95))}`,
        // Issue 8: the p95 must stay within 20 ms with the lossless parse behind the editor.
        budget: `p95 ≤ ${TYPING_P95_BUDGET_MS} ms`,
        ok: percentile(toRender, 95) <= TYPING_P95_BUDGET_MS,
        raw: median(toRender),
        unit: 'ms',
      },
      {
        name: `Typing in a ${size} context: keystroke → frame done (median / p95)`,
        value: `${ms1(median(toFrame))} / ${ms1(percentile(toFrame, 95))}`,
        raw: median(toFrame),
        unit: 'ms',
      },
      {
        name: `Typing in a ${size} context: longest main-thread task (incl. the parse after typing)`,
        value: result.longTasks.length ? ms(longest) : 'none over 50 ms',
        raw: longest,
        unit: 'ms',
      },
    ];
  },
};

export const editorMeasures: Measure[] = [editorOpen, editorTyping];
