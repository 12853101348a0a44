/**
 * A GET whose answer is kept as text (a version's context must reach the diff exactly as
 * stored). Waits for the read budget like every contexts call; errors become the same
 * ApiError as api-client's.
 */
import { ApiError, buildUrl } from '@/lib/api-client';
import { rateBudget } from '@/lib/rate-limits';

export async function apiRequestText(path: string, signal?: AbortSignal): Promise<string> {
  await rateBudget('read').acquire(signal);
  let response: Response;
  try {
    response = await fetch(buildUrl(path), { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the server. Check your connection and try again.' });
  }
  const text = await response.text();
  if (response.ok) return text;
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  try {
    // fidelity-ok: an error body, not context data.
    body = JSON.parse(text) as typeof body; // fidelity-ok: an error body
  } catch {
    body = undefined;
  }
  const error = body?.error;
  throw new ApiError({
    status: response.status,
    code: (error?.code as ApiError['code'] | undefined) ?? 'unexpected_response',
    message: error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    ...(error?.details ? { details: error.details } : {}),
  });
}
