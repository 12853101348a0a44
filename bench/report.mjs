// Writes the latest benchmark figures from bench/results/*.json into README.md, between
// the `<!-- bench:start -->` and `<!-- bench:end -->` markers, so the README never quotes
// figures that no script produced. Run: `npm run bench:report`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const load = (name) => {
  const path = `bench/results/${name}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};

/** The commit of the measured code (bench/ aside), else HEAD at the time. */
const short = (commit) => {
  const hash = commit?.codeCommit ?? commit?.hash;
  return hash ? hash.slice(0, 7) : '?';
};
/** Load average above the CPU count at the start or end of the run. */
const busy = (result) => {
  const env = result?.environment;
  const load = Math.max(env?.loadBefore?.[0] ?? 0, env?.loadAfter?.[0] ?? 0);
  return env?.cpus && load > env.cpus ? `load average up to ${load.toFixed(1)} on ${env.cpus} CPUs` : null;
};
const ms = (n) => (typeof n === 'number' ? `${n} ms` : '—');
const pair = (stats) => (stats ? `${ms(stats.p50)} / ${ms(stats.p95)}` : '—');

/**
 * The `large` member of api.json (bench:api's `large` section) against the committed
 * baseline, bench/results/api-large-baseline.json: rows per request kind (client-observed,
 * server-side, server CPU time), p50 / p95 of each, and the budget where one applies
 * (p95 ≤ factor × the baseline's p95 for POST and PATCH, client-observed and server-side).
 */
function largeSection(latest, baseline) {
  if (!latest && !baseline) {
    return '**Large contexts**: not measured yet (`BENCH_API_SECTIONS=large npm run bench:api`).';
  }
  const budget = latest?.budget ?? baseline?.budget ?? { factor: 1.5, appliesTo: ['post', 'patch'] };
  const head = latest ?? baseline;
  const lines = [
    `**${head.title}** — latest measured ${latest ? `${latest.date} at ${short(latest.commit)}` : 'never (only the baseline exists)'}` +
      `; baseline measured ${baseline ? `${baseline.date} at ${short(baseline.commit)} (before the JSON-fidelity change, issue 8)` : 'never (`BENCH_API_LARGE_BASELINE=1`)'}` +
      ` on ${head.machine ?? 'this machine'}. ${head.note ?? ''}`,
  ];
  const baselineBusy = busy(baseline);
  if (baselineBusy) {
    lines.push(
      '',
      `**The baseline was measured on a busy machine (${baselineBusy}): its wall-clock figures are inflated and its budget lax.** ` +
        'Re-record it on a quiet machine at a commit before the JSON-fidelity change (`BENCH_API_SECTIONS=large BENCH_API_LARGE_BASELINE=1 npm run bench:api`); until then compare the server CPU rows.',
    );
  }
  if (latest && baseline && latest.context?.sha256 !== baseline.context?.sha256) {
    lines.push('', '**The latest run sent a different context than the baseline (sha256 differs): the figures are not comparable.**');
  }
  const exact = (result) =>
    result?.context?.echoedExactly
      ? Object.entries(result.context.echoedExactly).map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ')
      : '—';
  lines.push('', `Answers hold the context exactly as sent (number spellings included): baseline ${exact(baseline)}; latest ${exact(latest)}.`);
  lines.push('', '| measure | baseline p50 / p95 | latest p50 / p95 | budget | |', '|---|---|---|---|---|');
  const keys = [...new Set([...(baseline?.figures ?? []), ...(latest?.figures ?? [])].map((f) => f.key))];
  for (const key of keys) {
    const base = baseline?.figures?.find((f) => f.key === key);
    const last = latest?.figures?.find((f) => f.key === key);
    const name = (last ?? base).name;
    for (const side of ['client', 'server', 'serverCpu']) {
      const pick = (f) => (f ? (side === 'client' ? f : f[side]) : undefined);
      const b = pick(base);
      const l = pick(last);
      if (!b && !l) continue;
      // The budget is on time (client-observed and server-side); CPU time helps read it
      // when the machine was busy.
      const budgeted = budget.appliesTo.includes(key) && side !== 'serverCpu' && b;
      const limit = budgeted ? Math.round(budget.factor * b.p95 * 100) / 100 : undefined;
      const verdict = limit === undefined || !l ? '—' : l.p95 <= limit ? 'within' : '**over**';
      const label = {
        client: `${name} — client-observed`,
        server: '… server-side (Fastify responseTime)',
        serverCpu: '… server CPU time, all threads (hardly affected by other load)',
      }[side];
      lines.push(`| ${label} | ${pair(b)} | ${pair(l)} | ${limit === undefined ? '—' : `p95 ≤ ${budget.factor}× baseline = ${limit} ms`} | ${verdict} |`);
    }
  }
  return lines.join('\n');
}

const STORE_LABELS = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const loadOf = (s) => Math.max(s.loadBefore?.[0] ?? 0, s.loadAfter?.[0] ?? 0, s.throughput?.loadAfter?.[0] ?? 0);
const seconds = (n) => (n >= 120 ? `${(n / 60).toFixed(1)} min (${Math.round(n)} s)` : `${n} s`);

/**
 * The `1m` part of api.json (bench:api): one table, the stores side by side — every
 * request kind's p50 / p95 / max per store with its budget and verdict, then the
 * throughput, the seeding time and the database size of each store.
 */
function apiSection(result) {
  const kinds = Object.keys(STORE_LABELS).filter((k) => result.stores?.[k]);
  const stores = kinds.map((k) => result.stores[k]);
  const head = `| measure | ${kinds.map((k) => STORE_LABELS[k]).join(' | ')} | budget | |`;
  const lines = [
    `**${result.title}** — measured ${stores.map((s) => `${STORE_LABELS[s.kind]} ${s.date}`).join(', ')} on ${result.machine ?? 'this machine'}. ${result.note ?? ''}`,
    '',
    ...stores.map(
      (s) =>
        `- ${STORE_LABELS[s.kind]}: ${s.where}; load average ${s.loadBefore?.[0]?.toFixed(1)} before, ${s.loadAfter?.[0]?.toFixed(1)} after` +
        (s.uptime ? ` (\`uptime\` before: ${s.uptime.before.replace(/^.*load average/, 'load average')})` : '') +
        (env(result) && loadOf(s) > env(result) ? ' — **measured under load** (figures pessimistic)' : ''),
    ),
    '',
    head,
    `|---|${kinds.map(() => '---|').join('')}---|---|`,
  ];
  const keys = [...new Set(stores.flatMap((s) => s.figures.map((f) => f.key)))];
  const budgets = result.budgets ?? { listP95Ms: 20, patchP95Ms: 10 };
  for (const key of keys) {
    const figs = stores.map((s) => s.figures.find((f) => f.key === key));
    const any = figs.find(Boolean);
    const budget = any.list ? `p95 ≤ ${budgets.listP95Ms} ms` : key === 'patch' ? `p95 ≤ ${budgets.patchP95Ms} ms` : '—';
    const oks = figs.map((f, i) => (f?.ok === false ? STORE_LABELS[kinds[i]] : null)).filter(Boolean);
    const judged = figs.some((f) => typeof f?.ok === 'boolean');
    const verdict = !judged ? '—' : oks.length === 0 ? 'within' : `**over** (${oks.join(', ')})`;
    const cell = (f) => (f ? `p50 ${f.p50} · **p95 ${f.p95}** · max ${f.max} ms` : '—');
    lines.push(`| ${any.name} | ${figs.map(cell).join(' | ')} | ${budget} | ${verdict} |`);
    if (key === 'patch_history_off') lines.push(historyRatioRow(figs, kinds, budgets));
  }
  const tp = (t) =>
    t
      ? `**${t.perSecond}/s** (${t.createsPerSecond} creates + ${t.patchesPerSecond} patches/s; ${t.instances} instance${t.instances > 1 ? 's' : ''} × ${t.clientsPerInstance} clients, ${t.seconds} s, ${t.errors} errors; create p95 ${t.createLatency?.p95} ms, patch p95 ${t.patchLatency?.p95} ms)`
      : '—';
  lines.push(`| throughput: creates + patches per second (rate limits off) | ${stores.map((s) => tp(s.throughput)).join(' | ')} | — | — |`);
  const seed = (s) =>
    s.seeding
      ? `${seconds(s.seeding.seconds)}${s.seeding.indexSeconds !== undefined ? ` + ${s.seeding.indexSeconds} s background search indexing` : ''}${s.seeding.reused ? ` (measured ${s.seeding.date})` : ''}, load average ${s.seeding.loadBefore?.[0]?.toFixed(1)}–${s.seeding.loadAfter?.[0]?.toFixed(1)}`
      : 'not measured (store reused)';
  lines.push(`| seeding ${result.rows?.toLocaleString('en') ?? ''} contexts (\`npm run seed\`'s code path) | ${stores.map(seed).join(' | ')} | minutes | — |`);
  lines.push(`| database size | ${stores.map((s) => gib(s.sizeBytes)).join(' | ')} | — | — |`);
  return lines.join('\n');
}
const env = (result) => result?.environment?.cpus;

/**
 * Under the history-off PATCH row (bench:api, issue 11): per store, the p95 of the
 * history-on PATCHes timed in interleaved pairs with it, divided by its own p95, against
 * the budget (PATCH p95 with history on ≤ 1.3× without), and each instance's CPU time per
 * PATCH when the run recorded it (read it when the machine was busy).
 */
function historyRatioRow(figs, kinds, budgets) {
  const limit = budgets.historyP95Ratio ?? figs.find((f) => f?.history)?.history.p95Ratio.budget ?? 1.3;
  const cell = (f) => {
    const h = f?.history;
    if (!h) return '—';
    const ratio = Number.isFinite(h.p95Ratio.ratio) ? `${h.p95Ratio.ratio}×` : 'n/a';
    const cpu = h.serverCpu ? `; server CPU per PATCH p50 on ${h.serverCpu.on.p50} / off ${h.serverCpu.off.p50} ms` : '';
    return `**${ratio}** (on p50 ${h.on.p50} · p95 ${h.on.p95} ms ÷ off p95 ${h.off.p95} ms${cpu})`;
  };
  const over = figs.map((f, i) => (f?.history?.p95Ratio.ok === false ? STORE_LABELS[kinds[i]] : null)).filter(Boolean);
  const judged = figs.some((f) => typeof f?.history?.p95Ratio.ok === 'boolean');
  const verdict = !judged ? '—' : over.length === 0 ? 'within' : `**over** (${over.join(', ')})`;
  return `| … PATCH p95 with history on ÷ off (the same interleaved pairs) | ${figs.map(cell).join(' | ')} | ≤ ${limit}× | ${verdict} |`;
}
/**
 * bench/results/search.json (bench:search, issue 10): per store, the search figures
 * against their budgets, with the store's size and the load the run saw.
 */
function searchSection(result) {
  if (!result?.stores?.length) return '**Search**: not measured yet (`npm run bench:search`).';
  const b = result.budgets ?? {};
  const verdict = (value, limit) => (typeof value !== 'number' || typeof limit !== 'number' ? '—' : value <= limit ? 'within' : '**over**');
  const stores = result.stores;
  const name = (s) => `${s.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${s.rows.toLocaleString('en')} contexts)`;
  const lines = [
    `**${result.title}** — measured ${result.date} at ${short(result.commit)} on ${result.machine}. ${result.note}.`,
    '',
    ...stores.map((s) => {
      const load = Math.max(s.loadBefore?.[0] ?? 0, s.loadAfter?.[0] ?? 0);
      const cpus = result.environment?.cpus ?? 0;
      const seeded = s.seeded
        ? `seeded in ${s.seeded.seconds} s${s.seeded.indexSeconds !== undefined ? `, then the background work completed the search index in ${s.seeded.indexSeconds} s` : ''} (load average ${s.seeded.loadBefore?.[0]?.toFixed(1)} → ${s.seeded.loadAfter?.[0]?.toFixed(1)})`
        : 'seeding time not recorded';
      return (
        `- ${name(s)}: ${s.description}; ${seeded}; load average ${s.loadBefore?.[0]?.toFixed(1)} before, ${s.loadAfter?.[0]?.toFixed(1)} after the measures` +
        (cpus && load > cpus ? ` — **measured under load (more runnable work than the ${cpus} CPUs): wall-clock figures are pessimistic**` : '') +
        (s.rows !== result.rows ? ` — **not at ${result.rows.toLocaleString('en')} contexts (a smaller store: BENCH_ROWS, or an interrupted seeding with BENCH_ACCEPT_PARTIAL): figures only indicative**` : '')
      );
    }),
    '',
    '| store | measure | p50 | p95 | budget | |',
    '|---|---|---|---|---|---|',
  ];
  // Older results hold one SQLite figure; newer ones one per store.
  const patchBase = (store) => (typeof b.patchBaselineP95 === 'object' ? b.patchBaselineP95[store] : store === 'sqlite' ? b.patchBaselineP95 : undefined);
  const patchLimit = (store) => (typeof b.patchLimitP95 === 'object' ? b.patchLimitP95[store] : store === 'sqlite' ? b.patchLimitP95 : undefined);
  const seedBase = (store) => (typeof b.seedBaselineSeconds === 'object' ? b.seedBaselineSeconds[store] : store === 'sqlite' ? b.seedBaselineSeconds : undefined);
  const seedLimit = (store) => (typeof b.seedLimitSeconds === 'object' ? b.seedLimitSeconds[store] : store === 'sqlite' ? b.seedLimitSeconds : undefined);
  for (const s of stores) {
    const n = name(s);
    lines.push(
      `| ${n} | \`q=${s.commonQ.term}\` (~1 %), first page (${s.commonQ.firstPageRows} rows) | ${ms(s.commonQ.p50)} | ${ms(s.commonQ.p95)} | p95 ≤ ${b.commonQP95} ms | ${verdict(s.commonQ.p95, b.commonQP95)} |`,
      `| ${n} | \`q\` matching one context: first request | ${ms(s.rareQ.first.p50)} | ${ms(s.rareQ.first.p95)} | ≤ ${b.rareFirstMs} ms | ${verdict(s.rareQ.first.max, b.rareFirstMs)} |`,
      `| ${n} | … the whole search, next_cursor to the end (${s.rareQ.requests} request(s), ${s.rareQ.matches} match) | ${ms(s.rareQ.total.p50)} | ${ms(s.rareQ.total.p95)} | ≤ ${b.rareTotalMs} ms | ${verdict(s.rareQ.total.max, b.rareTotalMs)} |`,
      `| ${n} | \`where=${s.where.condition}\` (~1 %), first page (${s.where.firstPageRows} rows) | ${ms(s.where.p50)} | ${ms(s.where.p95)} | p95 ≤ ${b.whereP95} ms | ${verdict(s.where.p95, b.whereP95)} |`,
      `| ${n} | PATCH with If-Match (~1 KB body), search indexes in place | ${ms(s.patch.p50)} | ${ms(s.patch.p95)} | p95 ≤ ${b.patchFactor}× today's ${ms(patchBase(s.store))} = ${ms(patchLimit(s.store))} (this store's PATCH at 1M before search) | ${patchLimit(s.store) !== undefined ? verdict(s.patch.p95, patchLimit(s.store)) : '— (no baseline)'} |`,
      `| ${n} | seeding (\`seedInParallel\`): every context stored, listed and searchable | — | ${s.seeded ? `${s.seeded.seconds} s${s.seeded.rows !== result.rows ? ` for ${s.seeded.rows.toLocaleString('en')}` : ''}` : '—'} | ≤ ${b.seedFactor}× ${seedBase(s.store)} s = ${seedLimit(s.store)} s (before search) | ${s.seeded && seedLimit(s.store) !== undefined ? verdict(s.seeded.seconds, seedLimit(s.store)) : '—'} |`,
      ...(s.seeded?.indexSeconds !== undefined
        ? [`| ${n} | … then the server's background work completes the trigram index (${s.store === 'sqlite' ? 'indexing the loaded contexts in small steps' : 'CREATE INDEX CONCURRENTLY'}; until then q is answered by bounded scans) | — | ${s.seeded.indexSeconds} s | — | — |`]
        : []),
    );
  }
  return lines.join('\n');
}

const sections = [];
for (const name of ['api', 'ui', 'delete']) {
  const result = load(name);
  if (name === 'api' && result?.stores) {
    sections.push(apiSection(result));
    sections.push(largeSection(result.large, load('api-large-baseline')));
    continue;
  }
  if (!result?.rows) {
    sections.push(`**${name}**: not measured yet (\`npm run bench:${name}\`).`);
    if (name === 'api') sections.push(largeSection(result?.large, load('api-large-baseline')));
    continue;
  }
  const rows = (result.rows ?? []).map(
    (r) => `| ${r.name} | ${r.value} | ${r.budget ?? '—'} | ${r.ok === undefined ? '—' : r.ok ? 'within' : '**over**'} |`,
  );
  sections.push(
    [
      `**${result.title ?? name}** — measured ${result.date ?? '?'} on ${result.machine ?? 'this machine'}${result.note ? `. ${result.note}` : ''}`,
      '',
      '| measure | figure | budget | |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
  if (name === 'api') sections.push(largeSection(result.large, load('api-large-baseline')));
}

sections.push(searchSection(load('search')));

const readme = readFileSync('README.md', 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < 0) throw new Error('README.md lacks the bench markers');
writeFileSync('README.md', `${readme.slice(0, i + start.length)}\n${sections.join('\n\n')}\n${readme.slice(j)}`);
console.log('README.md benchmark section updated');
