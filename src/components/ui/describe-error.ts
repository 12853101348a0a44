import { isApiError } from '@/lib/api-client';

export interface ErrorDescription {
  title: string;
  message: string;
  /** Whether retrying the same request can help (network, 429, 5xx). */
  retryable: boolean;
}

/**
 * Turns any thrown value into words for people. ApiErrors carry the server's message
 * (written for people, per the contract); a few statuses get a clearer title.
 */
export function describeError(error: unknown): ErrorDescription {
  if (isApiError(error)) {
    if (error.isNetworkError) return { title: 'Cannot reach the server', message: error.message, retryable: true };
    switch (error.status) {
      case 401:
        return { title: 'Signed out', message: 'Your session has ended. Sign in again.', retryable: false };
      case 403:
        return { title: 'Not allowed', message: "Your role can't do this. Ask an admin if you need access.", retryable: false };
      case 404:
        return { title: 'Not found', message: error.message, retryable: false };
      case 429: {
        const wait = error.retryAfterSeconds;
        return {
          title: 'Too many requests',
          message: wait ? `The rate limit was reached. Try again in ${wait} s.` : 'The rate limit was reached. Try again shortly.',
          retryable: true,
        };
      }
      default:
        return {
          title: error.status >= 500 ? 'The server had a problem' : 'Request failed',
          message: error.message,
          retryable: error.status >= 500,
        };
    }
  }
  const message = error instanceof Error && error.message ? error.message : 'An unexpected error occurred.';
  return { title: 'Something went wrong', message, retryable: true };
}
