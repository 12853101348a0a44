/**
 * Search in contexts over HTTP (issue 10), on every store (this file also runs in the
 * server:postgres project): `where` with each operator and path form checked against the
 * reference semantics (contract/search/evaluate.ts), type rules, big-number exactness,
 * escapes, unicode and case-insensitivity of `q`, combination with filters, the summary
 * view, page and the cursor while others write, the resume cursor of a time-bounded scan,
 * and every malformed input (400 with its position; nothing changed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonText } from '../../contract/json/lossless-json';
import { parseCondition } from '../../contract/search/condition';
import { conditionHolds } from '../../contract/search/evaluate';
import { CONTEXTS, api, contextPath, insertContexts, startTestServer, storeSnapshot, type ApiClient, type TestServer } from '../testing';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Contexts as exact text: big numbers, spellings, escapes, unicode, awkward names. */
const TEXTS = [
  '{"customer":{"email":"alice@example.com","name":"Alice"},"order":88123,"items":[{"sku":"A-1","qty":2}],"progress":40}',
  '{"customer":{"email":"Bob@Example.COM"},"ref":"A-88123","items":[{"sku":"B-2","qty":10},{"sku":"C-3"}],"progress":50}',
  '{"progress":"50","error":"Payment timeout after 30s","retry":true}',
  '{"creatorID":750727362669608961,"price":1.10,"exp":1E2,"negzero":-0,"huge":1e400,"progress":49.999999999999999999}',
  '{"creatorID":750727362669608960,"price":1.1,"error":null,"progress":-5}',
  '{"key.with.dots":{"x":"dotted"},"say":"\\"hi\\" there","caf\\u00e9":"Crème brûlée","emoji":"😀 ok","Σίσυφος":"ΣΊΣΥΦΟΣ"}',
  '{"items":{"0":"not an array"},"flags":[true,false,null],"nested":{"deep":{"er":{"value":7}}}}',
  '{"we\\"ird":"quoted name","name with space":1,"__proto__":{"isAdmin":true}}',
  '{}',
  'null',
];

async function seeded(overrides: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(overrides);
  const ids = await insertContexts(server.store, TEXTS.length, (i) => ({
    context_json: TEXTS[i] === 'null' ? null : (TEXTS[i] as string),
    agent_id: i % 2 === 0 ? 'agent_even' : 'agent_odd',
    status: i % 3 === 0 ? 'failed' : 'idle',
  }));
  // ids are oldest first: TEXTS[i] has ids[i]; lists are newest first.
  return { client: api(server.url, server.keys.viewer), ids, server };
}

const listIds = async (client: ApiClient, query: Record<string, string | number | string[] | undefined>) => {
  const response = await client.get(CONTEXTS, { query: { per_page: 100, ...query } });
  expect(response.status, response.text).toBe(200);
  return (response.body.data as Array<{ id: string }>).map((c) => c.id);
};

/** What the reference semantics say `where` selects, newest first. */
function expected(ids: string[], conditions: string[]): string[] {
  const parsed = conditions.map((text) => {
    const result = parseCondition(text);
    if (!result.ok) throw new Error(text);
    return result.condition;
  });
  return TEXTS.map((text, i) => ({ id: ids[i] as string, value: text === 'null' ? null : parseJsonText(text).value }))
    .filter(({ value }) => parsed.every((c) => conditionHolds(value, c)))
    .map(({ id }) => id)
    .reverse();
}

const CONDITIONS = [
  'customer.email = "alice@example.com"',
  'customer.email = "ALICE@example.com"',
  'customer.email ~ "EXAMPLE.com"',
  'customer.email != "alice@example.com"',
  'customer exists',
  'customer !exists',
  'items[0].sku = "A-1"',
  'items[1].sku exists',
  'items[0] exists',
  'items.0 = "not an array"',
  'items[0].qty >= 2',
  'items[0].qty > 2',
  'progress = 50',
  'progress = "50"',
  'progress < 50',
  'progress <= 50',
  'progress > 49.99999999999999999',
  'progress >= "5"',
  'progress != 50',
  'creatorID = 750727362669608961',
  'creatorID = 750727362669608960',
  'creatorID > 750727362669608960',
  'creatorID < 7.50727362669608961e17',
  'price = 1.1',
  'price = 1.10',
  'exp = 100',
  'negzero = 0',
  'huge > 1e399',
  'error exists',
  'error = null',
  'error ~ "TIMEOUT"',
  'error != null',
  'retry = true',
  'retry = false',
  'flags[1] = false',
  'flags[2] = null',
  'nested.deep.er.value = 7',
  '["key.with.dots"].x = "dotted"',
  'say = "\\"hi\\" there"',
  '["café"] ~ "CRÈME"',
  'emoji ~ "😀"',
  'Σίσυφος ~ "σίσυφος"',
  '["we\\"ird"] = "quoted name"',
  '["name with space"] = 1',
  '__proto__.isAdmin = true',
  'order < "z"',
  'customer.name < "B"',
];

describe('where', () => {
  it('selects what the reference semantics select, for every operator, path form and type', async () => {
    const { client, ids } = await seeded();
    for (const condition of CONDITIONS) {
      expect({ condition, ids: await listIds(client, { where: condition }) }).toEqual({
        condition,
        ids: expected(ids, [condition]),
      });
    }
  });

  it('answers string equalities and q completely from the text index when the walk finds nothing', async () => {
    // One row walked per request: every answer below comes from the index way (PostgreSQL:
    // pg_trgm on search_text, a whole-line prefilter for `=`), never from a resume cursor.
    const { client, ids } = await seeded({ searchScanRows: 1 });
    const indexable = CONDITIONS.filter((text) => {
      const parsed = parseCondition(text);
      return parsed.ok && parsed.condition.op === '=' && 'value' in parsed.condition && parsed.condition.value.type === 'string' &&
        /[a-z0-9]{3}/i.test(parsed.condition.value.value);
    });
    expect(indexable.length).toBeGreaterThan(5);
    for (const condition of [...indexable, 'customer.email = "example.com"', 'customer.email = "alice@example"']) {
      const want = expected(ids, [condition]);
      const response = await client.get(CONTEXTS, { query: { where: condition, per_page: 100 } });
      expect(response.status).toBe(200);
      const got = (response.body.data as Array<{ id: string }>).map((c) => c.id);
      // The engines without a line prefilter may answer by the scan: then follow it.
      if (response.body.has_more) continue;
      expect({ condition, got }).toEqual({ condition, got: want });
    }
    if (server?.store.engine === 'postgres') {
      for (const condition of indexable) {
        const response = await client.get(CONTEXTS, { query: { where: condition, per_page: 100 } });
        expect({ condition, has_more: response.body.has_more }).toEqual({ condition, has_more: false });
      }
      const page = await client.get(CONTEXTS, { query: { q: 'example.com', per_page: 100 } });
      expect({ has_more: page.body.has_more, n: page.body.data.length }).toEqual({ has_more: false, n: 2 });
    }
  });

  it('combines conditions (all must hold), filters, the summary view and q', async () => {
    const { client, ids } = await seeded();
    const both = ['progress >= 40', 'items exists'];
    expect(await listIds(client, { where: both })).toEqual(expected(ids, both));
    expect(await listIds(client, { where: 'progress exists', agent_id: 'agent_even' })).toEqual(
      expected(ids, ['progress exists']).filter((id) => ids.indexOf(id) % 2 === 0),
    );
    expect(await listIds(client, { where: 'progress exists', status: 'failed' })).toEqual(
      expected(ids, ['progress exists']).filter((id) => ids.indexOf(id) % 3 === 0),
    );
    const summary = await client.get(CONTEXTS, { query: { where: 'retry = true', view: 'summary' } });
    expect(summary.body.data).toHaveLength(1);
    expect(summary.body.data[0].context_preview).toBe(TEXTS[2]);
    expect(await listIds(client, { where: 'progress exists', q: 'example' })).toEqual([ids[1], ids[0]]);
  });

  it('a string "50" is not the number 50, and big numbers compare exactly', async () => {
    const { client, ids } = await seeded();
    expect(await listIds(client, { where: 'progress = 50' })).toEqual([ids[1]]);
    expect(await listIds(client, { where: 'progress = "50"' })).toEqual([ids[2]]);
    expect(await listIds(client, { where: 'creatorID = 750727362669608961' })).toEqual([ids[3]]);
    expect(await listIds(client, { where: 'creatorID = 750727362669608960' })).toEqual([ids[4]]);
  });
});

describe('q', () => {
  it('finds text in string values, member names and number spellings, case-insensitively', async () => {
    const { client, ids } = await seeded();
    expect(await listIds(client, { q: '88123' })).toEqual([ids[1], ids[0]]);
    expect(await listIds(client, { q: 'ALICE@EXAMPLE' })).toEqual([ids[0]]);
    expect(await listIds(client, { q: 'bob@example.com' })).toEqual([ids[1]]);
    expect(await listIds(client, { q: 'creatorid' })).toEqual([ids[4], ids[3]]);
    expect(await listIds(client, { q: '1.10' })).toEqual([ids[3]]);
    expect(await listIds(client, { q: '1e400' })).toEqual([ids[3]]);
    expect(await listIds(client, { q: '750727362669608961' })).toEqual([ids[3]]);
    expect(await listIds(client, { q: 'key.with' })).toEqual([ids[5]]);
  });

  it('matches decoded escapes and unicode, never JSON punctuation', async () => {
    const { client, ids } = await seeded();
    expect(await listIds(client, { q: '"hi" there' })).toEqual([ids[5]]);
    expect(await listIds(client, { q: 'café' })).toEqual([ids[5]]);
    expect(await listIds(client, { q: 'CRÈME BRÛ' })).toEqual([ids[5]]);
    expect(await listIds(client, { q: 'σίσυφος' })).toEqual([ids[5]]);
    expect(await listIds(client, { q: '😀 ok' })).toEqual([ids[5]]);
    expect(await listIds(client, { q: 'we"ird' })).toEqual([ids[7]]);
    expect(await listIds(client, { q: '":"' })).toEqual([]);
    expect(await listIds(client, { q: '100%' })).toEqual([]);
    expect(await listIds(client, { q: 'a_1' })).toEqual([]);
  });
});

describe('the cursor and page', () => {
  it('walks a search with the cursor, no row repeated or skipped while others write', async () => {
    server = await startTestServer();
    const client = api(server.url, server.keys.admin);
    const ids = await insertContexts(server.store, 60, (i) => ({
      context_json: `{"n":${i},"tag":"${i % 3 === 0 ? 'needle' : 'hay'}"}`,
    }));
    const matching = ids.filter((_, i) => i % 3 === 0).reverse();
    const seen: string[] = [];
    let after: string | undefined;
    let round = 0;
    for (;;) {
      const page = await client.get(CONTEXTS, { query: { q: 'needle', where: 'n >= 0', per_page: 4, after } });
      expect(page.status).toBe(200);
      seen.push(...(page.body.data as Array<{ id: string }>).map((c) => c.id));
      // Others write meanwhile: a new match (newer than the cursor: not in this walk) and a
      // deletion of a match not yet reached (it must simply not appear).
      round += 1;
      if (round === 2) {
        await client.post(CONTEXTS, { agent_id: 'a', context: { tag: 'needle' } });
        const victim = matching[matching.length - 1] as string;
        expect((await client.delete(contextPath(victim))).status).toBe(204);
        matching.pop();
      }
      if (!page.body.has_more) break;
      after = page.body.next_cursor;
    }
    expect(seen).toEqual(matching);
  });

  it('page > 1 skips matches', async () => {
    server = await startTestServer();
    const client = api(server.url, server.keys.viewer);
    const ids = await insertContexts(server.store, 30, (i) => ({ context_json: `{"tag":"${i % 2 === 0 ? 'even' : 'odd'}"}` }));
    const even = ids.filter((_, i) => i % 2 === 0).reverse();
    expect(await listIds(client, { where: 'tag = "even"', per_page: 4, page: 2 })).toEqual(even.slice(4, 8));
    expect(await listIds(client, { q: 'even', per_page: 4, page: 3 })).toEqual(even.slice(8, 12));
  });
});

describe('a time-bounded scan', () => {
  it('answers short (even empty) pages with has_more and a cursor that resumes the scan', async () => {
    // 5 rows examined per request; q answered by the scan too (the index may name 1).
    server = await startTestServer({ searchScanRows: 5, searchIndexCandidates: 1 });
    const client = api(server.url, server.keys.viewer);
    const ids = await insertContexts(server.store, 40, (i) => ({
      context_json: `{"n":${i},"rare":${i % 13 === 0 ? '"yes"' : '"no"'}}`,
    }));
    const matching = ids.filter((_, i) => i % 13 === 0).reverse();
    for (const query of [{ where: 'rare = "yes"' }, { q: 'yes' }, { q: 'yes', where: 'n >= 0', view: 'summary' }]) {
      const seen: string[] = [];
      let after: string | undefined;
      let requests = 0;
      let shortPages = 0;
      for (;;) {
        const page = await client.get(CONTEXTS, { query: { ...query, per_page: 10, after } });
        expect(page.status).toBe(200);
        requests += 1;
        const data = page.body.data as Array<{ id: string }>;
        if (page.body.has_more && data.length < 10) shortPages += 1;
        seen.push(...data.map((c) => c.id));
        if (!page.body.has_more) {
          expect(page.body.next_cursor).toBeNull();
          break;
        }
        after = page.body.next_cursor;
      }
      expect(seen).toEqual(matching);
      expect(requests).toBe(8); // 40 rows, 5 a request
      expect(shortPages).toBe(7);
    }
  });

  it('keeps the skip of page > 1 in the resume cursor', async () => {
    server = await startTestServer({ searchScanRows: 4 });
    const client = api(server.url, server.keys.viewer);
    const ids = await insertContexts(server.store, 24, (i) => ({ context_json: `{"even":${i % 2 === 0}}` }));
    const even = ids.filter((_, i) => i % 2 === 0).reverse();
    let response = await client.get(CONTEXTS, { query: { where: 'even = true', per_page: 3, page: 2 } });
    const seen: string[] = [];
    while (seen.length < 3) {
      expect(response.status).toBe(200);
      seen.push(...(response.body.data as Array<{ id: string }>).map((c) => c.id));
      if (seen.length >= 3) break;
      expect(response.body.has_more).toBe(true);
      response = await client.get(CONTEXTS, { query: { where: 'even = true', per_page: 3, after: response.body.next_cursor } });
    }
    expect(seen.slice(0, 3)).toEqual(even.slice(3, 6));
  });
});

describe('malformed input', () => {
  it.each([
    [{ q: 'ab' }, 'q', 0, 2, 'at least 3 characters'],
    [{ q: 'abc\ndef' }, 'q', 0, 3, 'a printable character'],
    [{ where: 'customer.email = alice' }, 'where', 0, 17, 'a JSON value (string, number, true, false, null)'],
    [{ where: ['a exists', 'a <'] }, 'where', 1, 3, 'a value'],
    [{ where: 'a ~ 5' }, 'where', 0, 4, 'a string'],
    [{ where: '[0] = 1' }, 'where', 0, 1, 'a member name in double quotes'],
    [{ where: 'a = 01' }, 'where', 0, 4, 'a JSON number'],
    [{ where: 'a = "x' }, 'where', 0, 6, 'a closing "'],
    [{ where: 'a exists 5' }, 'where', 0, 9, 'the end of the condition'],
    [{ where: '' }, 'where', 0, 0, 'a member name'],
    // PostgreSQL cannot take these as parameters (they were 500s there, and ["\u0000"] on SQLite too).
    [{ where: 'a = "x\\u0000y"' }, 'where', 0, 4, 'a string without \\u0000 or an unpaired surrogate'],
    [{ where: '["\\u0000"] exists' }, 'where', 0, 1, 'a string without \\u0000 or an unpaired surrogate'],
    [{ where: 'a ~ "\\ud800"' }, 'where', 0, 4, 'a string without \\u0000 or an unpaired surrogate'],
    [{ where: 'a > 1e1000000' }, 'where', 0, 4, 'a number with at most 131072 digits before the point and 16383 after it'],
    [{ where: 'a = 1e-16384' }, 'where', 0, 4, 'a number with at most 131072 digits before the point and 16383 after it'],
  ])('%j → 400 naming %s #%i at %i', async (query, param, index, position, expectedWhat) => {
    const { client } = await seeded();
    const before = await storeSnapshot(server!.store);
    const response = await client.get(CONTEXTS, { query });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_query');
    expect(response.body.error.details).toMatchObject({ param, index, position });
    expect(response.body.error.details.expected).toContain(expectedWhat);
    expect(response.body.error.details.fields).toContain(param);
    expect(await storeSnapshot(server!.store)).toEqual(before);
  });

  it('refuses too many conditions and a cursor with a skip outside a search', async () => {
    const { client } = await seeded();
    const many = await client.get(CONTEXTS, { query: { where: Array.from({ length: 11 }, () => 'a exists') } });
    expect(many.status).toBe(400);
    const skipCursor = Buffer.from('[1,"ctx_x",3]').toString('base64url');
    expect((await client.get(CONTEXTS, { query: { after: skipCursor } })).status).toBe(400);
  });
});
