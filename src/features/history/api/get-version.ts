/**
 * GET …/{id}/versions/{version}: one version whole. Its context is kept as the exact text
 * the server sent (`contextText`), for the diff: never parsed into numbers and re-written.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ContextVersion } from '@contract/accountability-types';
import { apiRequestText } from './raw-text';
import { historyKeys } from './keys';

export interface VersionWithText extends Omit<ContextVersion, 'context'> {
  /** The version's context as the exact JSON text the server stored (null for none). */
  contextText: string | null;
}

export async function fetchVersion(id: string, version: number, signal?: AbortSignal): Promise<VersionWithText> {
  const text = await apiRequestText(`/ai/execution-contexts/${encodeURIComponent(id)}/versions/${version}`, signal);
  return splitVersion(text);
}

/**
 * Splits the answer into its metadata and the context's exact text. The server writes
 * `context` last (server/history/json.ts). Inside a JSON string every `"` is escaped, so
 * the first `,"context":` of the text is the member itself, never part of a value.
 */
export function splitVersion(text: string): VersionWithText {
  const marker = ',"context":';
  const start = text.indexOf(marker);
  if (start < 0 || !text.endsWith('}')) throw new Error('unexpected version answer');
  // fidelity-ok: the head holds only the version's metadata (strings, numbers); the
  // context's text is kept aside untouched.
  const meta = JSON.parse(`${text.slice(0, start)}}`) as Omit<ContextVersion, 'context'>; // fidelity-ok: version metadata before the context
  const contextText = text.slice(start + marker.length, -1);
  return { ...meta, contextText: contextText === 'null' ? null : contextText };
}

export const versionQueryOptions = (id: string, version: number) =>
  queryOptions({
    queryKey: historyKeys.version(id, version),
    queryFn: ({ signal }) => fetchVersion(id, version, signal),
    // A version never changes.
    staleTime: Infinity,
  });

export function useVersion(id: string, version: number | null) {
  return useQuery({ ...versionQueryOptions(id, version ?? 0), enabled: version !== null });
}
