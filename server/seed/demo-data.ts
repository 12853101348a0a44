/**
 * Deterministic demo data: realistic execution contexts of AI agents and workflows.
 *
 * The same (count, seed, now) always yields the same rows. Rows come out one at a time in
 * ascending created_at order, so seeding a million rows holds one batch in memory and
 * appends to the store's indexes instead of scattering writes across them.
 *
 * Speed matters (1M rows must seed in well under a minute on two cores), so text is drawn
 * from pools of sentences and paragraphs built once per run from the seed, and the rare
 * large contexts are assembled from those pools rather than word by word.
 */
import type { ContextStatus } from '../../contract/index';

/**
 * Demo contexts are built as plain objects and written with JSON.stringify (plain
 * JavaScript numbers, nothing to lose); the contract's JsonValue is the lossless one.
 */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };
import type { ContextStore, NewContext } from '../store/types';

export interface DemoDataOptions {
  /** The newest possible created_at; rows span the 90 days before it. Default: now. */
  now?: Date;
  /** PRNG seed: same seed, same rows. Default 1. */
  seed?: number;
}

const DAY_MS = 86_400_000;
const SPAN_MS = 90 * DAY_MS;

// ---------------------------------------------------------------------------------------
// PRNG: sfc32 (small, fast, good statistical quality, 32-bit state words).

export type Random = () => number;

export function createRandom(seed: number): Random {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
  let c = 0xb7e15162 ^ Math.imul(seed, 0xc2b2ae35);
  let d = 1;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of sfc32 still echo the seed; discard them.
  for (let i = 0; i < 15; i += 1) next();
  return next;
}

/** Two- and three-digit zero-padded numbers, for the ISO formatter below. */
const PAD2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * `new Date(ms).toISOString()` for the generator's hot loop, about 7× cheaper: rows come in
 * time order, so the date part is nearly always the cached one and only the time of day
 * is formatted. (Date#toISOString was the largest single cost of generating a row.)
 */
function isoFormatter(): (ms: number) => string {
  let cachedDay = Number.NaN;
  let prefix = '';
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    if (day !== cachedDay) {
      cachedDay = day;
      prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    return `${prefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}Z`;
  };
}

const FIRST_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'] as const;

/**
 * A customer's email, a pure function of the customer number: one address per customer
 * (finding one is a rare-match search) on one of 100 domains `shopNN.example` (a domain is
 * in ~1% of contexts: a common-match search).
 */
export const demoEmail = (customerNumber: number): string =>
  `${FIRST_NAMES[customerNumber % FIRST_NAMES.length]}.${customerNumber}@${demoEmailDomain(customerNumber)}`;

/**
 * The domain of a customer's email (`shopNN.example`), also kept as a member of its own
 * (`input.customer.domain`): each value is in ~1% of contexts, a common-match `where`.
 */
export function demoEmailDomain(customerNumber: number): string {
  return `shop${String(Math.floor(customerNumber / 10) % 100).padStart(2, '0')}.example`;
}

/** An order number (a JSON number), a pure function of the customer number. */
export const demoOrderNumber = (customerNumber: number): number => 10_000_000 + ((customerNumber * 7919) % 90_000_000);

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** A cumulative-weight table for weighted picks in O(log n). */
function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    total += weight;
    cumulative.push(total);
  }
  return (random) => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return (entries[lo] as readonly [T, number])[0];
  };
}

// ---------------------------------------------------------------------------------------
// Vocabulary

export const DEMO_AGENTS = [
  'agent_support_triage', 'agent_invoice_parser', 'agent_contract_reviewer', 'agent_code_reviewer',
  'agent_lead_qualifier', 'agent_meeting_summarizer', 'agent_email_drafter', 'agent_kb_curator',
  'agent_fraud_screener', 'agent_data_cleaner', 'agent_sql_analyst', 'agent_translator',
  'agent_release_notes', 'agent_incident_responder', 'agent_onboarding_guide', 'agent_churn_predictor',
  'agent_expense_auditor', 'agent_recruiting_screener', 'agent_sales_researcher', 'agent_compliance_checker',
  'agent_ticket_router', 'agent_doc_qa', 'agent_pricing_optimizer', 'agent_inventory_forecaster',
  'agent_returns_processor', 'agent_social_listener', 'agent_survey_analyzer', 'agent_log_summarizer',
  'agent_test_writer', 'agent_dependency_updater', 'agent_calendar_scheduler', 'agent_travel_planner',
  'agent_claims_adjuster', 'agent_kyc_verifier', 'agent_po_matcher', 'agent_feedback_tagger',
  'agent_seo_writer', 'agent_qa_grader', 'agent_security_scanner', 'agent_billing_assistant',
] as const;

export const DEMO_WORKFLOWS = [
  'wf_onboarding', 'wf_refund_review', 'wf_invoice_processing', 'wf_ticket_escalation',
  'wf_contract_approval', 'wf_weekly_report', 'wf_lead_enrichment', 'wf_incident_postmortem',
  'wf_kyc_check', 'wf_expense_review', 'wf_release_pipeline', 'wf_churn_outreach',
  'wf_vendor_onboarding', 'wf_content_moderation', 'wf_data_backfill', 'wf_security_review',
  'wf_candidate_screening', 'wf_order_fulfillment', 'wf_chargeback_dispute', 'wf_translation_batch',
  'wf_quarterly_close', 'wf_customer_feedback', 'wf_pricing_update', 'wf_knowledge_sync',
] as const;

const PIPELINES: readonly (readonly string[])[] = [
  ['receive_request', 'classify_intent', 'retrieve_context', 'draft_response', 'review_draft', 'send_reply'],
  ['fetch_document', 'ocr_pages', 'extract_fields', 'validate_totals', 'match_purchase_order', 'post_to_ledger'],
  ['load_repository', 'diff_changes', 'run_static_checks', 'analyze_risk', 'write_comments', 'summarize'],
  ['collect_signals', 'enrich_profile', 'score_candidate', 'explain_score', 'await_approval', 'notify_owner'],
  ['parse_input', 'plan_steps', 'call_tools', 'aggregate_results', 'verify_output', 'finalize'],
  ['ingest_events', 'deduplicate', 'cluster_topics', 'summarize_clusters', 'publish_report'],
];

const TOOLS = [
  'search_knowledge_base', 'http_get', 'sql_query', 'send_email', 'create_ticket', 'lookup_customer',
  'fetch_invoice', 'ocr_document', 'translate_text', 'run_python', 'vector_search', 'get_calendar',
  'post_slack_message', 'read_file', 'update_crm_record', 'check_sanctions_list', 'compute_refund',
] as const;

const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4', 'claude-haiku-4', 'gemini-2.5-pro', 'llama-3.3-70b'] as const;

const ERRORS = [
  ['tool_timeout', 'Tool call timed out after 30000 ms'],
  ['rate_limited', 'Upstream model provider answered 429; retries exhausted'],
  ['invalid_tool_arguments', 'Arguments did not match the tool schema: missing field "customer_id"'],
  ['context_window_exceeded', 'Prompt of 131072 tokens exceeds the model context window'],
  ['upstream_5xx', 'CRM API answered 502 Bad Gateway'],
  ['validation_failed', 'Extracted total does not match the sum of line items'],
  ['permission_denied', 'Service account lacks scope tickets:write'],
] as const;

const SUBJECTS = [
  'The customer', 'The invoice', 'This ticket', 'The contract', 'The pull request', 'The candidate',
  'The vendor', 'The shipment', 'The refund request', 'The report', 'The lead', 'The account',
];
const VERBS = [
  'mentions', 'requires', 'references', 'is missing', 'conflicts with', 'was escalated because of',
  'depends on', 'exceeds', 'matches', 'should be checked against',
];
const OBJECTS = [
  'the 30-day refund policy', 'a duplicate charge on the last statement', 'clause 7.2 on liability',
  'the Q3 budget', 'an expired API token', 'the onboarding checklist', 'order #{n}',
  'the SLA for priority-1 incidents', 'three unmatched line items', 'the shipping address on file',
  'the data retention policy', 'a failing integration test', 'the previous conversation',
];
/** A few realistic non-ASCII snippets: names, other languages, symbols and emoji. */
const INTERNATIONAL = [
  'Kunde möchte eine Rückerstattung für Bestellung Nr. {n}.',
  'Merci — le délai de livraison est dépassé.',
  'お客様から返金の依頼がありました。',
  'Cliente solicita factura con NIF corregido: {n}.',
  'Total: 1 299,00 € (TVA incluse).',
  'Status: ✅ verified, ⚠️ needs review.',
  'Release shipped 🚀 — thanks José and Zoë!',
  'Заказ {n} задерживается на складе.',
];

// ---------------------------------------------------------------------------------------
// Text pools: built once per run, then picked from (much cheaper than word-by-word text).

interface TextPools {
  sentences: string[];
  paragraphs: string[];
  queries: string[];
}

function buildPools(random: Random): TextPools {
  const sentence = (): string => {
    if (random() < 0.06) return pick(random, INTERNATIONAL).replace('{n}', String(between(random, 10_000, 99_999)));
    const object = pick(random, OBJECTS).replace('{n}', String(between(random, 10_000, 99_999)));
    return `${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${object}.`;
  };
  const sentences = Array.from({ length: 512 }, sentence);
  const paragraphs = Array.from({ length: 64 }, () =>
    Array.from({ length: between(random, 8, 20) }, () => pick(random, sentences)).join(' '),
  );
  const queries = Array.from({ length: 128 }, () =>
    `${pick(random, OBJECTS).replace('{n}', String(between(random, 1000, 9999)))} ${pick(random, ['policy', 'history', 'status', 'owner', 'details'])}`,
  );
  return { sentences, paragraphs, queries };
}

// ---------------------------------------------------------------------------------------
// One context

const statusPicker = weighted<ContextStatus>([
  ['completed', 52],
  ['idle', 24],
  ['failed', 7],
  ['interrupted', 5],
  ['running', 7],
  ['waiting_for_input', 5],
]);
/** Recent contexts are far more often still at work than old ones. */
const recentStatusPicker = weighted<ContextStatus>([
  ['completed', 35],
  ['idle', 15],
  ['failed', 5],
  ['interrupted', 3],
  ['running', 27],
  ['waiting_for_input', 15],
]);

const ROLES_IN_CHAT = ['user', 'assistant', 'tool', 'assistant'] as const;

interface RowContext {
  random: Random;
  pools: TextPools;
  iso: (ms: number) => string;
  agentIndex: number;
  status: ContextStatus;
  createdAt: number;
  updatedAt: number;
}

function text(random: Random, pools: TextPools, min: number, max: number): string {
  let out = pick(random, pools.sentences);
  const n = between(random, min, max);
  for (let i = 1; i < n; i += 1) out += ` ${pick(random, pools.sentences)}`;
  return out;
}

/** About `bytes` of text from whole paragraphs (for the rare large contexts). */
function bulkText(random: Random, pools: TextPools, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const paragraph = pick(random, pools.paragraphs);
    parts.push(paragraph);
    size += paragraph.length + 2;
  }
  return parts.join('\n\n');
}

function callId(random: Random): string {
  return `call_${Math.floor(random() * 2 ** 32).toString(36).padStart(7, '0')}`;
}

function buildContext(row: RowContext, largeBytes: number): JsonObject {
  const { random, pools, iso, status, createdAt, updatedAt } = row;
  const pipeline = PIPELINES[row.agentIndex % PIPELINES.length] as readonly string[];
  const total = pipeline.length;
  const done = status === 'completed';
  const stepIndex = done ? total - 1 : between(random, 0, total - 1);
  const progress = done ? 100 : Math.min(99, Math.round(((stepIndex + random()) / total) * 100));
  const span = Math.max(updatedAt - createdAt, 1);

  const messageCount = largeBytes > 0 ? between(random, 6, 24) : between(random, 0, 4);
  const messages: JsonObject[] = [];
  for (let i = 0; i < messageCount; i += 1) {
    messages.push({
      role: ROLES_IN_CHAT[i % ROLES_IN_CHAT.length] as string,
      content: text(random, pools, 1, 2),
      at: iso(createdAt + Math.floor((span * i) / messageCount)),
    });
  }

  const toolCount = largeBytes > 0 ? between(random, 2, 8) : between(random, 0, 2);
  const toolCalls: JsonObject[] = [];
  for (let i = 0; i < toolCount; i += 1) {
    const ok = status !== 'failed' || i < toolCount - 1;
    const call: JsonObject = {
      id: callId(random),
      name: pick(random, TOOLS),
      arguments: { query: pick(random, pools.queries), limit: between(random, 1, 20) },
      status: ok ? 'ok' : 'error',
      duration_ms: between(random, 40, 9000),
    };
    if (ok && random() < 0.5) call.output = text(random, pools, 1, 2);
    toolCalls.push(call);
  }
  // A large context is what real runs accumulate: long tool outputs (documents, logs).
  if (largeBytes > 0 && toolCalls.length > 0) {
    const per = Math.ceil(largeBytes / toolCalls.length);
    for (const call of toolCalls) call.output = bulkText(random, pools, per);
  }

  const inputTokens = between(random, 300, 12_000) + (largeBytes >> 2);
  const outputTokens = between(random, 50, 2_500);
  // Drawn in the same order as before the search fields were added, so every other value
  // of the demo data stays what it was (benchmarks compare runs).
  const requestId = `req_${Math.floor(random() * 2 ** 40).toString(36)}`;
  const customerNumber = between(random, 100_000, 999_999);
  const context: JsonObject = {
    current_step: pipeline[stepIndex] as string,
    step_index: stepIndex,
    total_steps: total,
    progress,
    input: {
      request_id: requestId,
      customer_id: `cus_${customerNumber}`,
      // Searchable content (issue 10), derived from the customer: no extra random draws.
      customer: { email: demoEmail(customerNumber), domain: demoEmailDomain(customerNumber) },
      order_number: demoOrderNumber(customerNumber),
      summary: pick(random, pools.sentences),
    },
    model: { name: pick(random, MODELS), temperature: Math.round(random() * 10) / 10 },
    messages,
    tool_calls: toolCalls,
    usage: {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cost_usd: Math.round((inputTokens * 0.000003 + outputTokens * 0.000015) * 10_000) / 10_000,
    },
  };
  if (done) {
    context.results = {
      outcome: pick(random, ['resolved', 'approved', 'rejected', 'escalated', 'published']),
      confidence: Math.round((0.55 + random() * 0.45) * 100) / 100,
      summary: text(random, pools, 1, 3),
    };
  }
  if (status === 'failed' || (status === 'interrupted' && random() < 0.5)) {
    const [code, message] = pick(random, ERRORS);
    context.errors = [{ code, message, step: pipeline[stepIndex] as string, at: iso(updatedAt), retryable: random() < 0.6 }];
  }
  if (status === 'interrupted') context.interrupted_by = pick(random, ['user', 'deploy', 'timeout', 'budget_exceeded']);
  if (status === 'waiting_for_input') {
    context.pending_input = {
      prompt: pick(random, [
        'Approve a refund above the automatic limit?',
        'Which of these two vendors is the right match?',
        'Please confirm the corrected billing address.',
        'Merge the pull request despite one failing check?',
      ]),
      requested_at: iso(updatedAt),
      fields: [{ name: 'decision', type: 'choice', options: ['approve', 'reject', 'escalate'] }],
    };
  }
  if (random() < 0.3) {
    context.checkpoint = { step: pipeline[Math.max(0, stepIndex - 1)] as string, saved_at: iso(updatedAt) };
  }
  return context;
}

/** Tiny contexts: the few-bytes end of the range. */
function tinyContext(random: Random, row: RowContext): JsonObject {
  switch (between(random, 0, 3)) {
    case 0:
      return {};
    case 1:
      return { current_step: 'queued' };
    case 2:
      return { current_step: 'processing', progress: between(random, 0, 100) };
    default:
      return { current_step: row.status === 'completed' ? 'done' : 'started', attempt: between(random, 1, 3) };
  }
}

// ---------------------------------------------------------------------------------------

/**
 * `count` demo contexts, ascending by created_at, spread over the 90 days before `now`
 * with traffic growing over time. Lazily generated: iterate once, hold nothing.
 */
export function* generateDemoContexts(count: number, options: DemoDataOptions = {}): Generator<NewContext> {
  const now = (options.now ?? new Date()).getTime();
  const random = createRandom(options.seed ?? 1);
  const pools = buildPools(random);
  const iso = isoFormatter();
  const start = now - SPAN_MS;

  // Busier agents and workflows: Zipf-like weights, so filters return lists of very
  // different lengths, as in real use.
  const agentPicker = weighted(DEMO_AGENTS.map((agent, i) => [i, 1 / (i + 1) ** 0.8] as const));
  const workflowsOf = DEMO_AGENTS.map((_, i) => [
    DEMO_WORKFLOWS[i % DEMO_WORKFLOWS.length] as string,
    DEMO_WORKFLOWS[(i * 7 + 3) % DEMO_WORKFLOWS.length] as string,
    DEMO_WORKFLOWS[(i * 11 + 5) % DEMO_WORKFLOWS.length] as string,
  ]);
  const sessionPool = Math.max(1, Math.ceil(count / 4));

  for (let i = 0; i < count; i += 1) {
    // Inverse CDF of a density rising linearly from 1/2 to 3/2 over the span, sampled at
    // one jittered point per slot: monotonic in i, so rows come out in created_at order.
    const u = (i + random()) / count;
    const x = (-1 + Math.sqrt(1 + 8 * u)) / 2;
    const createdAt = Math.min(now - 1, start + Math.floor(x * SPAN_MS));
    const ageMs = now - createdAt;

    const agentIndex = agentPicker(random);
    const status = ageMs < 2 * DAY_MS ? recentStatusPicker(random) : statusPicker(random);
    // How long the run has been going: seconds to hours; idle ones were often left for days.
    let duration = Math.floor(Math.exp(random() * Math.log(7_200_000)));
    if (status === 'idle' && random() < 0.3) duration += Math.floor(random() * 5 * DAY_MS);
    const updatedAt = Math.min(now, createdAt + duration);

    const row: RowContext = { random, pools, iso, agentIndex, status, createdAt, updatedAt };
    const shape = random();
    let context: JsonObject | null;
    if (shape < 0.015) context = null;
    else if (shape < 0.065) context = tinyContext(random, row);
    else if (shape < 0.075) {
      // ~1% large: 10 KB to 200 KB, Pareto-like (most of them near the low end).
      const bytes = Math.min(200_000, Math.floor(10_000 / Math.sqrt(1 - random() * 0.9975)));
      context = buildContext(row, bytes);
    } else context = buildContext(row, 0);

    const workflow = random() < 0.12 ? null : pick(random, workflowsOf[agentIndex] as string[]);
    yield {
      agent_id: random() < 0.005 ? null : (DEMO_AGENTS[agentIndex] as string),
      workflow_id: workflow,
      session_id:
        random() < 0.06 ? null : `session_${Math.floor(random() * sessionPool).toString(36).padStart(5, '0')}`,
      // Generated here from safe integers and short decimals: JSON.stringify is exact for
      // them. fidelity-ok: demo data we build, not a context someone wrote.
      context_json: context === null ? null : JSON.stringify(context), // fidelity-ok: generated demo data
      status,
      created_at: new Date(createdAt),
      updated_at: new Date(updatedAt),
    };
  }
}

/** Default seed of the demo data (SEED_CONTEXTS at server start, the seed CLI). */
export const DEMO_SEED = 1;

/**
 * Fills an empty store with `count` demo contexts; leaves a store with any row alone.
 * Returns how many rows it inserted.
 */
export async function seedIfEmpty(store: ContextStore, count: number, options: DemoDataOptions = {}): Promise<number> {
  if (count <= 0 || (await store.count()) > 0) return 0;
  return store.insertMany(generateDemoContexts(count, { seed: DEMO_SEED, ...options }));
}
