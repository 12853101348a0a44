/**
 * Retry policy of the contexts reads. A 429 is not a failure to show: the API client has
 * already paused the shared read budget until Retry-After, so the retry simply waits in
 * the budget's queue and goes out the moment the server accepts it again (the UI shows a
 * countdown meanwhile, from `failureReason`). Other client errors are final; network
 * errors and 5xx get one more try (react-query passes the number of failures so far, from 0).
 */
import { isApiError } from '@/lib/api-client';

const MAX_RATE_LIMITED_RETRIES = 20;

export function readRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error)) {
    if (error.status === 429) return failureCount < MAX_RATE_LIMITED_RETRIES;
    if (error.status >= 400 && error.status < 500) return false;
  }
  return failureCount < 1;
}

export function readRetryDelay(failureCount: number, error: unknown): number {
  // The budget holds the retry for the Retry-After pause; adding a delay here would only
  // make the wait longer than the server asked for.
  if (isApiError(error) && error.status === 429) return 0;
  return Math.min(1000 * 2 ** failureCount, 8000);
}
