/**
 * The editor's merge-style save, as pure functions (the hook in ../hooks/use-save-flow.ts
 * does the requests; everything that decides what to send lives here and is tested
 * directly).
 *
 * The seed's "Advanced usage" of update_execution_context — fetch the latest, merge the
 * changed keys, send it back — made safe for several people at once:
 *
 * 1. An *attempt* is `base` (the version the user started from) and `mine` (what the user
 *    wants). The editable part of a context is the pair `{ context, session_id }`; both
 *    are merged together, so a changed session_id is a change like any other.
 * 2. Before saving, the latest version is fetched and the attempt is merged into it
 *    three-way (src/lib/merge-patch.ts `threeWayMerge`): members only the user changed take
 *    the user's value, members only the other side changed keep theirs, and members both
 *    changed differently are conflicts for the user to settle — never silently.
 *    (The three-way merge works on the exact path-level diff rather than on the RFC 7386
 *    patch from `createMergePatch`: a merge patch cannot say "set this member to null",
 *    and a user who types `"error": null` means exactly that. For everything else the
 *    two agree: merged = applyMergePatch(latest, createMergePatch(base, mine)).)
 * 3. The user reviews latest → result as a diff, and the PATCH carries `If-Match` with the
 *    latest's ETag. A 412 means someone saved in between: the reviewed pair becomes the
 *    new attempt (`rebase`) and step 2 runs again against the newer version, so the
 *    user's decisions (including resolved conflicts) carry over and only new overlaps
 *    become conflicts.
 *
 * The "Apply merge patch" mode builds its attempt from the latest version:
 * mine = applyMergePatch(latest.context, patch) — RFC 7386 as typed, null removes.
 */
import { stringifyJson } from '@contract/json/lossless-json';
import type { ExecutionContext, JsonObject, JsonValue, UpdateContextBody } from '@contract/types';
import {
  applyMergePatch,
  diffDocuments,
  isJsonObject,
  jsonEqual,
  resolveConflicts,
  threeWayMerge,
  type ConflictChoice,
  type DocumentChange,
  type JsonPath,
  type MergeConflict,
} from '@/lib/merge-patch';

/** The part of a context the PATCH endpoint can change. */
export interface EditableDoc {
  context: JsonObject | null;
  session_id: string | null;
}

/** A server version: the whole context (for the caches) and its ETag. */
export interface ServerVersion {
  context: ExecutionContext;
  etag: string;
}

export interface Attempt {
  /** The version the user's change was made against. */
  base: EditableDoc;
  /** The document the user wants. */
  mine: EditableDoc;
}

export const toEditable = (context: ExecutionContext): EditableDoc => ({
  context: context.context,
  session_id: context.session_id,
});

/** `{ context, session_id }` as one JSON document, so that one merge covers both. */
const wrap = (doc: EditableDoc): JsonObject =>
  new Map<string, JsonValue>([
    ['context', doc.context],
    ['session_id', doc.session_id],
  ]);

function unwrap(value: JsonValue): EditableDoc {
  // The wrapper always keeps both members (all three sides have them), and a merge of
  // object-or-null contexts is an object or null; checked anyway, because a wrong type
  // here would be sent to the server.
  if (!isJsonObject(value)) throw new Error('merge produced a non-object document');
  const context = value.get('context') ?? null;
  const session = value.get('session_id') ?? null;
  if (context !== null && !isJsonObject(context)) throw new Error('merge produced a context that is not an object');
  if (session !== null && typeof session !== 'string') throw new Error('merge produced a session_id that is not a string');
  return { context, session_id: session };
}

/** Edit-document mode: the user edited the whole document starting from `base`. */
export const documentAttempt = (base: EditableDoc, mine: EditableDoc): Attempt => ({ base, mine });

/**
 * Apply-merge-patch mode: the patch is applied to the latest version (null removes a key;
 * a null patch clears the context). A session_id the user changed in the form is sent;
 * otherwise the latest one is kept.
 */
export function patchAttempt(
  latest: EditableDoc,
  patch: JsonObject | null,
  session: { opened: string | null; edited: string | null },
): Attempt {
  const context = patch === null ? null : (applyMergePatch(latest.context ?? new Map(), patch) as JsonObject);
  const sessionChanged = session.edited !== session.opened;
  return { base: latest, mine: { context, session_id: sessionChanged ? session.edited : latest.session_id } };
}

/** Whether an attempt changes anything at all (Save is pointless otherwise). */
export const attemptChanges = (attempt: Attempt): boolean => !jsonEqual(wrap(attempt.base), wrap(attempt.mine));

export type SavePlan =
  /** Review `changes` (latest → result), then PATCH `body` with If-Match: latest.etag. */
  | { kind: 'ready'; latest: ServerVersion; result: EditableDoc; body: UpdateContextBody; changes: DocumentChange[] }
  /** The server already holds exactly what the user wants: nothing to send. */
  | { kind: 'unchanged'; latest: ServerVersion }
  /** Both sides changed the same members differently: the user must choose. */
  | { kind: 'conflicts'; latest: ServerVersion; conflicts: MergeConflict[] };

/** The PATCH body: only the fields that differ from the latest version. */
export function bodyFor(latest: EditableDoc, result: EditableDoc): UpdateContextBody {
  const body: UpdateContextBody = {};
  if (!jsonEqual(latest.context, result.context)) body.context = result.context;
  if (latest.session_id !== result.session_id) body.session_id = result.session_id;
  return body;
}

function planFor(latest: ServerVersion, result: EditableDoc): SavePlan {
  const latestDoc = toEditable(latest.context);
  const changes = diffDocuments(wrap(latestDoc), wrap(result));
  if (changes.length === 0) return { kind: 'unchanged', latest };
  return { kind: 'ready', latest, result, body: bodyFor(latestDoc, result), changes };
}

/** Merges the attempt into the latest version. */
export function planSave(attempt: Attempt, latest: ServerVersion): SavePlan {
  const merge = threeWayMerge(wrap(attempt.base), wrap(attempt.mine), wrap(toEditable(latest.context)));
  if (!merge.clean) return { kind: 'conflicts', latest, conflicts: merge.conflicts };
  return planFor(latest, unwrap(merge.merged));
}

/** The plan once every conflict has a choice (keyed by the conflict's pointer). */
export function planResolved(
  attempt: Attempt,
  latest: ServerVersion,
  choices: Readonly<Record<string, ConflictChoice>>,
): SavePlan {
  const merged = resolveConflicts(wrap(attempt.base), wrap(attempt.mine), wrap(toEditable(latest.context)), choices);
  return planFor(latest, unwrap(merged));
}

/**
 * After a 412: what the user reviewed (latest → result) is their decision; merge that
 * against the newer version next.
 */
export const rebase = (reviewedLatest: ServerVersion, result: EditableDoc): Attempt => ({
  base: toEditable(reviewedLatest.context),
  mine: result,
});

// ---------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * A path inside the editable document as people read it: `progress`,
 * `results.analyzed_documents`, `["odd key"]`, `session_id`; the context as a whole is
 * "the whole context".
 */
export function describePath(path: JsonPath): string {
  const [field, ...rest] = path;
  if (field === 'session_id') return 'session_id';
  if (rest.length === 0) return 'the whole context';
  return rest
    // fidelity-ok: a member name, written as a JSON string
    .map((key, index) => (SIMPLE_KEY.test(key) ? (index === 0 ? key : `.${key}`) : `[${JSON.stringify(key)}]`))
    .join('');
}

/** "2 keys changed", "1 key changed", "session_id changed", "1 key and session_id changed". */
export function summarizeChanges(changes: readonly DocumentChange[]): string {
  const session = changes.some((c) => c.path[0] === 'session_id');
  const keys = changes.filter((c) => c.path[0] !== 'session_id').length;
  const keyText = keys === 1 ? '1 key' : `${keys} keys`;
  if (session && keys === 0) return 'session_id changed';
  if (session) return `${keyText} and session_id changed`;
  return `${keyText} changed`;
}

/** How a change reads in lists: "added", "removed", "changed". */
export function changeKind(change: DocumentChange): 'added' | 'removed' | 'changed' {
  if (change.before === undefined) return 'added';
  if (change.after === undefined) return 'removed';
  return 'changed';
}

/** A short one-line rendering of a JSON value for lists (the diff shows the full value). */
export function previewValue(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) return '(not present)';
  const text = stringifyJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Text of the editable document for the diff view: the context, pretty-printed by the
 * lossless writer, so the diff shows every number as it is and will be stored.
 */
export const contextText = (doc: EditableDoc): string => stringifyJson(doc.context, 2);
