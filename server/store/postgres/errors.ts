/**
 * Which errors of `pg` (and of the network under it) mean "PostgreSQL cannot be reached
 * right now" — answered 503 `unavailable` with Retry-After, and retried by clients —
 * rather than a bug (500). Sources: PostgreSQL's SQLSTATE appendix (class 08 connection
 * exceptions, 57P01–57P03 shutdown/startup, 53300 too many connections, 57014 statement
 * timeout) and the messages node-postgres uses for lost or never-made connections.
 */
import { StoreUnavailableError } from '../types';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '40001', '40P01']);

const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Query read timeout',
  'the database system is starting up',
  'the database system is shutting down',
];

/** True for connection-level failures (see the file comment); follows `cause` chains. */
export function isPostgresUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof StoreUnavailableError) return true;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || SQLSTATES.has(code))) return true;
  if (typeof message === 'string' && MESSAGES.some((m) => message.includes(m))) return true;
  // Node's AggregateError (IPv4 + IPv6 both refused) carries the real errors in `errors`.
  if (Array.isArray(errors) && errors.some((e) => isPostgresUnavailable(e, depth + 1))) return true;
  return cause !== undefined && isPostgresUnavailable(cause, depth + 1);
}
