/**
 * A large execution context as agents keep them, for the `large` section of bench/api.ts:
 * a long message history with tool calls, a ledger of amounts, embedding vectors, memory
 * and a deeply nested scratchpad. Deterministic (fixed seed), so every run and the
 * committed baseline send the same bytes (`sha256` says so).
 *
 * It is built as JSON text, not as a JS object, because the point of the JSON-fidelity
 * work (issue 8) is number spelling: the text holds decimals with trailing zeros (`1.10`,
 * `19.90`), integers beyond 2^53 (`750727362669608961`), exponents (`1.5e-7`), negative
 * numbers, booleans, nulls, and strings with escapes and non-ASCII characters.
 */
import { createHash } from 'node:crypto';
import { LosslessNumber, stringify } from 'lossless-json';

/** The member that differs per PATCH sample; same length for every revision. */
export const REVISION_PLACEHOLDER = '"revision":"r000000"';
export const revisionMember = (n: number): string => `"revision":"r${String(n % 1_000_000).padStart(6, '0')}"`;

export interface LargeContext {
  /** Compact JSON text of the context object (starts with the revision member). */
  text: string;
  bytes: number;
  sha256: string;
  counts: { messages: number; ledgerEntries: number; embeddings: number; bigIntegers: number; trailingZeroDecimals: number };
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = (
  'the shipment order customer refund escalated onboarding checklist invoice ticket agent ' +
  'workflow retry timeout tool result summary status pending approved rejected warehouse ' +
  'carrier tracking address payment card declined verified priority queue handoff human ' +
  'review policy exception quota limit region eu-west us-east latency cache index'
).split(' ');
const FLAVOURS = ['Zürich', 'São Paulo', 'café', '東京', 'naïve', '🚚', 'Ωmega', 'Kraków'];

/** Builds a context whose compact JSON is at least `targetBytes` (UTF-8) long. */
export function buildLargeContext(targetBytes: number, seed = 20261122): LargeContext {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const counts = { messages: 0, ledgerEntries: 0, embeddings: 0, bigIntegers: 0, trailingZeroDecimals: 0 };

  // Numbers by their spelling: the text is what matters, not a double.
  const raw = (text: string) => new LosslessNumber(text);
  const bigId = () => {
    counts.bigIntegers += 1;
    return raw((750727362669608961n + BigInt(int(1_000_000_000)) * 1_000_003n).toString());
  };
  /** Two decimals, often with a trailing zero (1.10, 19.90, 0.50). */
  const money = (max: number) => {
    const cents = int(max * 10) * 10 + (rnd() < 0.4 ? 0 : int(10));
    const text = `${rnd() < 0.1 ? '-' : ''}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    if (text.endsWith('0')) counts.trailingZeroDecimals += 1;
    return raw(text);
  };
  const sentence = (words: number) => {
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(rnd() < 0.03 ? pick(FLAVOURS) : pick(WORDS));
    return parts.join(' ');
  };
  const iso = (offsetSeconds: number) => new Date(Date.UTC(2026, 10, 1) + offsetSeconds * 1000).toISOString();

  const head = {
    run: {
      id: 'run_01JD7Q3Z8W9X2K4M6N8P0R2T4V',
      creatorID: raw('750727362669608961'),
      i64max: raw('9223372036854775807'),
      attempt: 3,
      resumable: true,
      parent_run: null,
      started_at: iso(0),
      budget_usd: raw('12.50'),
    },
    config: {
      model: 'gpt-4.1-mini',
      temperature: raw('0.70'),
      top_p: raw('1.0'),
      frequency_penalty: raw('0.0'),
      max_tokens: 4096,
      stop: ['\n\nUser:', '</final>'],
      tools: ['lookup_order', 'refund', 'notify', 'search_kb'].map((name) => ({
        name,
        enabled: name !== 'notify',
        timeout_ms: 30_000,
        retry: { max: 3, backoff: raw('1.5'), jitter: raw('0.10') },
      })),
    },
    current_step: 'summarize',
    memory: {
      facts: Array.from({ length: 200 }, (_, i) => ({
        key: `fact_${i}`,
        value: sentence(8 + int(12)),
        confidence: raw((0.5 + rnd() / 2).toFixed(3)),
        source: rnd() < 0.3 ? null : { message: int(5000), tool: pick(['lookup_order', 'search_kb']) },
      })),
    },
    scratchpad: nest(12),
  };

  function nest(depth: number): unknown {
    if (depth === 0) return { leaf: true, note: sentence(6), tiny: raw('1.5e-7'), avogadro: raw('6.02E23') };
    return { level: depth, label: `depth ${depth}`, items: [depth, raw(`${depth}.0`), null, false], child: nest(depth - 1) };
  }

  const messages: string[] = [];
  const ledger: string[] = [];
  const embeddings: string[] = [];
  const headText = stringify(head) as string;
  // `{` + REVISION + `,` + head members + `,"messages":[…],"ledger":[…],"embeddings":[…],"done":false,"error":null}`
  let size = REVISION_PLACEHOLDER.length + headText.length + 80;
  const add = (list: string[], value: unknown) => {
    const text = stringify(value) as string;
    list.push(text);
    size += Buffer.byteLength(text) + 1;
  };

  for (let i = 0; size < targetBytes; i++) {
    const role = i % 3 === 0 ? 'user' : i % 3 === 1 ? 'assistant' : 'tool';
    add(messages, {
      id: i,
      role,
      content:
        `Message ${i}: ${sentence(20 + int(180))}` +
        (i % 17 === 0 ? ' He said "escalate"\n\tthen left C:\\temp\\out.json' : ''),
      tokens: 20 + int(900),
      created_at: iso(i * 7),
      tool_calls:
        role === 'assistant' && rnd() < 0.6
          ? [
              {
                id: `call_${i}`,
                name: pick(['lookup_order', 'refund', 'search_kb']),
                arguments: {
                  order_id: bigId(),
                  amount: money(200),
                  currency: pick(['EUR', 'USD', 'CHF']),
                  items: Array.from({ length: 1 + int(4) }, () => ({ sku: `SKU-${int(99_999)}`, qty: 1 + int(5), price: money(80) })),
                  express: rnd() < 0.5,
                  coupon: rnd() < 0.8 ? null : `SAVE${int(50)}`,
                },
              },
            ]
          : null,
      meta: { ok: i % 5 !== 0, score: raw((rnd() * 10).toFixed(2)), latency_ms: raw(String(int(4000) - (i % 23 === 0 ? 5000 : 0))) },
    });
    counts.messages += 1;
    if (i % 4 === 0) {
      add(ledger, { txn: bigId(), at: iso(i * 7 + 3), amount: money(500), balance: money(10_000), fee: raw('0.10'), settled: rnd() < 0.9 });
      counts.ledgerEntries += 1;
    }
    if (i % 10 === 0) {
      add(embeddings, { message: i, vector: Array.from({ length: 24 }, () => raw((rnd() * 2 - 1).toFixed(6))) });
      counts.embeddings += 1;
    }
  }

  const text =
    `{${REVISION_PLACEHOLDER},${headText.slice(1, -1)},` +
    `"messages":[${messages.join(',')}],"ledger":[${ledger.join(',')}],"embeddings":[${embeddings.join(',')}],` +
    `"done":false,"error":null}`;
  return {
    text,
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
    counts,
  };
}
