/**
 * msw answers that hold contexts, written the way the server writes them: as JSON text
 * with every number exactly (`stringifyJson`), never `HttpResponse.json`, whose
 * JSON.stringify would turn the dashboard's lossless values (Maps) into `{}`.
 */
import { HttpResponse } from 'msw';
import { isJsonObject, parseJsonText, stringifyJson, type JsonObject, type JsonValue } from '@contract/json/lossless-json';
import type { ExecutionContext, ExecutionContextSummary } from '@contract/types';
import { contextToJson, toJsonValue } from '@/lib/context-json';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** One context (GET by id, POST, PATCH). */
export function contextResponse(context: ExecutionContext, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new HttpResponse(stringifyJson(contextToJson(context)), {
    status: init.status ?? 200,
    headers: { ...JSON_HEADERS, ...init.headers },
  });
}

/** A list page of full contexts or summaries. */
export function contextListResponse(page: { data: Array<ExecutionContext | ExecutionContextSummary>; has_more: boolean; next_cursor: string | null }) {
  const body: JsonObject = new Map<string, JsonValue>([
    ['data', page.data.map((row) => ('context' in row ? contextToJson(row) : toJsonValue(row)))],
    ['has_more', page.has_more],
    ['next_cursor', page.next_cursor],
  ]);
  return new HttpResponse(stringifyJson(body), { headers: JSON_HEADERS });
}

/** A request body as the server reads it: lossless (numbers exactly, members in order). */
export async function readJsonBody(request: Request): Promise<JsonObject> {
  const value = parseJsonText(await request.text()).value;
  if (!isJsonObject(value)) throw new TypeError('the body is not a JSON object');
  return value;
}
