/**
 * A small fetch wrapper for API tests: real HTTP, the key as a Bearer header (or a
 * cookie), JSON in and out, and the raw pieces (status, headers, text) kept for asserts.
 */
import type { ContextRecord } from '../store/types';

/**
 * An ExecutionContext as an API test reads it with JSON.parse: fine for the small,
 * safe-number contexts these helpers create (tests of exact text read the raw body).
 */
export type ExecutionContext = Omit<ContextRecord, 'context_json'> & { context: Record<string, unknown> | null };
/** A POST body as API tests send it (serialised with JSON.stringify by the client). */
export interface CreateContextBody {
  agent_id: string | null;
  workflow_id?: string | null;
  session_id?: string | null;
  context?: Record<string, unknown> | null;
  status?: string;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  /**
   * The parsed JSON body (undefined when empty or not JSON). Tests inspect it field by
   * field and assert on shapes themselves, so it is deliberately untyped.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  body: any;
}

export interface RequestOptions {
  /** Sent as JSON unless `rawBody` is given. */
  json?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | string[] | undefined>;
  /** Overrides the client's key for this call; null sends no Authorization header. */
  key?: string | null;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'HEAD';

export interface ApiClient {
  request(method: Method, path: string, options?: RequestOptions): Promise<ApiResult>;
  get(path: string, options?: RequestOptions): Promise<ApiResult>;
  post(path: string, json?: unknown, options?: RequestOptions): Promise<ApiResult>;
  patch(path: string, json?: unknown, options?: RequestOptions): Promise<ApiResult>;
  delete(path: string, options?: RequestOptions): Promise<ApiResult>;
}

export const CONTEXTS = '/api/ai/execution-contexts';
export const contextPath = (id: string) => `${CONTEXTS}/${encodeURIComponent(id)}`;

function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `key`: a Bearer key, or undefined for none. `cookie`: a Cookie header value. */
export function api(baseUrl: string, key?: string, cookie?: string): ApiClient {
  async function request(method: Method, path: string, options: RequestOptions = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.key === undefined ? key : options.key;
    if (bearer) headers.authorization ??= `Bearer ${bearer}`;
    if (cookie) headers.cookie ??= cookie;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}${buildQuery(options.query)}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }
  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, json, options) => request('POST', path, { ...options, json }),
    patch: (path, json, options) => request('PATCH', path, { ...options, json }),
    delete: (path, options) => request('DELETE', path, options),
  };
}

/**
 * Creates n contexts over HTTP, one after another (so they are in creation order), and
 * returns them oldest first. `make(i)` shapes each body; the default is a small context.
 */
export async function createContexts(
  client: ApiClient,
  n: number,
  make: (i: number) => CreateContextBody = (i) => ({
    agent_id: `agent_${i % 3}`,
    workflow_id: `wf_${i % 2}`,
    session_id: `session_${i}`,
    context: { step: i },
  }),
): Promise<ExecutionContext[]> {
  const created: ExecutionContext[] = [];
  for (let i = 0; i < n; i++) {
    const response = await client.post(CONTEXTS, make(i));
    if (response.status !== 201) throw new Error(`create ${i} answered ${response.status}: ${response.text}`);
    created.push(response.body as ExecutionContext);
  }
  return created;
}

/** Every context in the store, newest first, fetched page by page over the API. */
export async function listAll(client: ApiClient): Promise<ExecutionContext[]> {
  const all: ExecutionContext[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.get(CONTEXTS, { query: { per_page: 100, after } });
    if (page.status !== 200) throw new Error(`list answered ${page.status}: ${page.text}`);
    all.push(...(page.body.data as ExecutionContext[]));
    if (!page.body.next_cursor) return all;
    after = page.body.next_cursor as string;
  }
}
