/**
 * Cursors of the accountability lists, shared by every engine (the same opaque token on
 * SQLite and PostgreSQL): base64url of a small JSON array. A cursor the server did not
 * issue is an InvalidCursorError (400).
 */
import { InvalidCursorError } from './types';

// fidelity-ok (whole module): cursors are our own arrays of numbers and ids, not context data.
const encode = (value: Array<string | number>): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url'); // fidelity-ok: a cursor

function decode(cursor: string): unknown[] {
  if (!/^[A-Za-z0-9_-]{1,500}$/.test(cursor)) throw new InvalidCursorError();
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); // fidelity-ok: a cursor
    if (Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Versions: the last version number of the page. */
export const encodeVersionCursor = (version: number): string => encode(['v', version]);
export function decodeVersionCursor(cursor: string): number {
  const [kind, version] = decode(cursor);
  if (kind !== 'v' || !isCount(version)) throw new InvalidCursorError();
  return version;
}

/** Audit events: the last event's sequence number. */
export const encodeAuditCursor = (seq: number): string => encode(['a', seq]);
export function decodeAuditCursor(cursor: string): number {
  const [kind, seq] = decode(cursor);
  if (kind !== 'a' || !isCount(seq)) throw new InvalidCursorError();
  return seq;
}

/** Deleted contexts: the last row's (deleted_at, id). */
export const encodeDeletedCursor = (deletedAt: number, id: string): string => encode(['d', deletedAt, id]);
export function decodeDeletedCursor(cursor: string): { deletedAt: number; id: string } {
  const [kind, deletedAt, id] = decode(cursor);
  if (kind !== 'd' || !isCount(deletedAt) || typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw new InvalidCursorError();
  }
  return { deletedAt, id };
}
