/**
 * JSON Merge Patch (RFC 7386) and the three-way merge the context editor saves with.
 *
 * The server's PATCH replaces `context` as a whole (api.md): the merge happens here, in the
 * client, as in the seed's "Advanced usage" (fetch the latest, merge the changed keys, send
 * it back). Two layers:
 *
 * 1. `applyMergePatch` / `createMergePatch`: RFC 7386 exactly. Used for the "Apply merge
 *    patch" mode (the user types a partial object; null removes a key) and to show a patch.
 *
 * 2. `threeWayMerge` / `detectConflicts` / `resolveConflicts`: the editor's save and its
 *    412 retry. These work on an exact path-level diff (`diffDocuments`), NOT on RFC 7386
 *    patches, because of RFC 7386's null limitation (below): a user who types
 *    `"error": null` into the editor means "error is null", and a merge patch would turn
 *    that into "delete error". The exact diff keeps "set to null" and "remove" apart, so
 *    nothing the user typed is lost or altered.
 *
 * ## The RFC 7386 null limitation, and what `createMergePatch` does about it
 *
 * In a merge patch, a member whose value is null means "remove this member". So no merge
 * patch can ever *set* an object member to null, and an object member holding null can only
 * survive a patch if the patch leaves it (and every object above it) alone. Replacing a
 * larger enclosing value does not help either: a patch value that is an object is itself
 * merged (its nulls removed again), up to and including the whole document. Only arrays
 * (replaced whole, with their elements as they are) and a bare null root can carry nulls.
 * Hence the round-trip law `applyMergePatch(s, createMergePatch(s, t)) ≡ t` is impossible
 * for some pairs — e.g. s = 1, t = {"a": null} — whatever the patch.
 *
 * `createMergePatch` therefore returns the smallest patch that yields `t` whenever any patch
 * can (`isMergePatchRepresentable(s, t)`: every null object member of `t` outside arrays
 * is already a null member of `s` at the same path, reached through objects only). For
 * the other pairs it yields `t` without the null members it cannot express — the closest
 * document a merge patch can reach, and the RFC's own reading of null as "absent". The
 * law holds exactly for every pair whose target has no null object members (and for
 * every pair at all when target is a bare value or an array) and is property-tested
 * for both cases.
 *
 * Values are the lossless ones of contract/json/lossless-json.ts: objects are Maps (members
 * keep their order, whatever their names), numbers keep the text they were written with.
 * Nothing here turns a number into a double, so a member neither side touched comes out
 * exactly as it went in — a concurrent writer's 750727362669608961 survives a merge.
 *
 * Values are treated as immutable: no function here mutates its arguments. Results share
 * unchanged subtrees of the document they were derived from (structural sharing, which
 * keeps React's identity checks cheap); values taken from a patch or a target are copied.
 */
import {
  isJsonObject as isLosslessObject,
  jsonEqual as losslessEqual,
  type JsonObject,
  type JsonValue,
} from '@contract/json/lossless-json';

export type { JsonObject, JsonValue };

/** A path of object member names from the document root. Arrays are atomic: no indexes. */
export type JsonPath = readonly string[];

/** True for a JSON object (a Map: members in order, any name, no prototype involved). */
export const isJsonObject = (value: JsonValue | undefined): value is JsonObject => isLosslessObject(value);

/** Deep copy of a JSON value (numbers are immutable and shared). */
export function cloneJson<T extends JsonValue>(value: T): T {
  const input: JsonValue = value;
  if (Array.isArray(input)) return input.map((item) => cloneJson(item)) as T;
  if (isJsonObject(input)) {
    const copy: JsonObject = new Map();
    for (const [key, member] of input) copy.set(key, cloneJson(member));
    return copy as T;
  }
  return value;
}

/**
 * Deep equality of JSON values: member order does not matter, array order does, and
 * numbers are equal when spelled the same (`1.0` → `1` is a change: it is what the
 * document says, and what its readers see).
 */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return losslessEqual(a, b);
}

// ---------------------------------------------------------------------------------------
// RFC 7386
// ---------------------------------------------------------------------------------------

/**
 * RFC 7386 section 2, without mutating `target` or `patch`. `target` may be `undefined`
 * (the member does not exist), as in the RFC's recursion.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const base: JsonObject = isJsonObject(target) ? target : new Map();
  const result: JsonObject = new Map();
  // Members keep their place (as with the RFC's in-place algorithm); new ones go last.
  // Members the patch does not name are the same values, never rewritten.
  for (const [key, member] of base) {
    const change = patch.get(key);
    if (change === undefined) result.set(key, member);
    else if (change !== null) result.set(key, applyMergePatch(member, change));
    // else: null removes the member
  }
  for (const [key, value] of patch) {
    if (value === null || base.has(key)) continue; // null is never stored
    result.set(key, applyMergePatch(undefined, value));
  }
  return result;
}

/**
 * The smallest merge patch from `source` to `target`: `{}` when they are equal, members
 * that differ, `null` for removed members, nested patches for changed objects, and whole
 * values where either side is not an object (arrays are always replaced whole).
 *
 * See the module comment for null members of `target` that no patch can express: they are
 * left out (the result of applying the patch lacks them).
 */
export function createMergePatch(source: JsonValue | undefined, target: JsonValue): JsonValue {
  if (!isJsonObject(target)) return cloneJson(target);
  // Applying an object patch to a non-object starts from {}; its nulls could only delete.
  if (!isJsonObject(source)) return withoutNullMembers(target);
  const patch: JsonObject = new Map();
  for (const key of source.keys()) {
    if (!target.has(key)) patch.set(key, null);
  }
  for (const [key, to] of target) {
    const from = source.get(key);
    if (from !== undefined && jsonEqual(from, to)) continue;
    if (to === null) {
      // Cannot be set to null; removing the member is the closest a patch gets.
      if (from !== undefined) patch.set(key, null);
      continue;
    }
    patch.set(key, createMergePatch(from, to));
  }
  return patch;
}

/**
 * True when some merge patch turns `source` into `target` (so `createMergePatch` round-trips
 * exactly): every null member of an object in `target`, outside arrays, is also a null
 * member of `source` at the same path, with objects all the way down in both.
 */
export function isMergePatchRepresentable(source: JsonValue | undefined, target: JsonValue): boolean {
  if (!isJsonObject(target)) return true;
  const from = isJsonObject(source) ? source : undefined;
  for (const [key, to] of target) {
    const before = from?.get(key);
    if (to === null ? before !== null : !isMergePatchRepresentable(before, to)) return false;
  }
  return true;
}

/** A copy of an object without null members at any depth (arrays are kept as they are). */
function withoutNullMembers(value: JsonObject): JsonObject {
  const result: JsonObject = new Map();
  for (const [key, member] of value) {
    if (member === null) continue;
    result.set(key, isJsonObject(member) ? withoutNullMembers(member) : cloneJson(member));
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Exact diff, paths and pointers
// ---------------------------------------------------------------------------------------

/**
 * One change between two documents. `value` undefined means the member was removed.
 * Changes are leaves: where both sides hold objects the diff descends into them, so the
 * paths of one diff never nest, and a change of `null` is a value, not a removal.
 */
export interface DocumentChange {
  path: JsonPath;
  /** RFC 6901 JSON Pointer of `path` (`""` is the whole document). */
  pointer: string;
  /** The value before (undefined: the member did not exist). */
  before: JsonValue | undefined;
  /** The value after (undefined: the member was removed). */
  after: JsonValue | undefined;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`; the empty path is `""`. */
export const toJsonPointer = (path: JsonPath): string =>
  path.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `path` (undefined when a member on the way is missing or not an object). */
export function getAtPath(document: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let current = document;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current.get(key);
  }
  return current;
}

/** Every change from `before` to `after`, exactly (nulls are values; arrays are atomic). */
export function diffDocuments(before: JsonValue | undefined, after: JsonValue | undefined): DocumentChange[] {
  const changes: DocumentChange[] = [];
  const walk = (a: JsonValue | undefined, b: JsonValue | undefined, path: string[]) => {
    if (jsonEqual(a, b)) return;
    if (isJsonObject(a) && isJsonObject(b)) {
      // In document order: members of `before` (changed or removed), then added members.
      for (const [key, member] of a) walk(member, b.get(key), [...path, key]);
      for (const [key, member] of b) if (!a.has(key)) walk(undefined, member, [...path, key]);
      return;
    }
    changes.push({ path, pointer: toJsonPointer(path), before: a, after: b });
  };
  walk(before, after, []);
  return changes;
}

// ---------------------------------------------------------------------------------------
// Three-way merge
// ---------------------------------------------------------------------------------------

/**
 * Both sides changed the same place differently. `path` is the outermost place involved:
 * when one side replaced or removed `/a` and the other changed `/a/b`, the conflict is at
 * `/a`, and choosing a side takes that side's whole value at `/a`. Conflicts never nest.
 */
export interface MergeConflict {
  path: JsonPath;
  pointer: string;
  /** undefined: the member does not exist in that version. */
  base: JsonValue | undefined;
  mine: JsonValue | undefined;
  theirs: JsonValue | undefined;
}

export type ConflictChoice = 'mine' | 'theirs';

export interface ThreeWayMergeResult {
  /** Exact changes from base to mine and from base to theirs (for display and toasts). */
  mineChanges: DocumentChange[];
  theirsChanges: DocumentChange[];
  /** RFC 7386 view of the user's changes (exact unless it would need to set nulls). */
  minePatch: JsonValue;
  conflicts: MergeConflict[];
  /**
   * theirs with every non-conflicting change of mine applied; conflicting places keep
   * theirs' value (the same as `resolveConflicts` choosing 'theirs' everywhere).
   */
  merged: JsonValue;
  /** True when there are no conflicts: `merged` is the document to save. */
  clean: boolean;
}

/**
 * Merges the user's edit (`base` → `mine`) into the latest server version (`theirs`).
 *
 * - Changes to different members both survive (whatever the depth).
 * - The same change on both sides is not a conflict.
 * - Different changes to the same member, or a change inside a member the other side
 *   removed or replaced with a non-object, are conflicts.
 * - Arrays are values: any two different edits of one array conflict.
 *
 * Laws (property-tested): theirs ≡ base ⇒ merged ≡ mine; mine ≡ base ⇒ merged ≡ theirs;
 * without conflicts every change of either side holds in `merged`.
 */
export function threeWayMerge(base: JsonValue, mine: JsonValue, theirs: JsonValue): ThreeWayMergeResult {
  const conflicts: MergeConflict[] = [];
  const merged = merge3(base, mine, theirs, [], (conflict) => {
    conflicts.push(conflict);
    return 'theirs';
  });
  return {
    mineChanges: diffDocuments(base, mine),
    theirsChanges: diffDocuments(base, theirs),
    minePatch: createMergePatch(base, mine),
    conflicts,
    // The root is never removed: a conflict there keeps theirs, which exists.
    merged: merged as JsonValue,
    clean: conflicts.length === 0,
  };
}

/**
 * The recursive merge. `undefined` stands for "no such member". `decide` is asked once per
 * conflict, at the outermost place both sides touched, and picks the side whose value is
 * kept there.
 */
function merge3(
  base: JsonValue | undefined,
  mine: JsonValue | undefined,
  theirs: JsonValue | undefined,
  path: string[],
  decide: (conflict: MergeConflict) => ConflictChoice,
): JsonValue | undefined {
  if (jsonEqual(mine, base)) return theirs;
  if (jsonEqual(theirs, base) || jsonEqual(mine, theirs)) return mine;
  if (isJsonObject(base) && isJsonObject(mine) && isJsonObject(theirs)) {
    const result: JsonObject = new Map();
    // theirs' member order first (the server's document), then members mine added. A
    // member neither side changed is theirs' value itself: never rewritten.
    const keys = [...theirs.keys(), ...[...mine.keys()].filter((key) => !theirs.has(key))];
    for (const key of keys) {
      const value = merge3(base.get(key), mine.get(key), theirs.get(key), [...path, key], decide);
      if (value !== undefined) result.set(key, value);
    }
    return result;
  }
  const conflict: MergeConflict = { path, pointer: toJsonPointer(path), base, mine, theirs };
  return decide(conflict) === 'mine' ? mine : theirs;
}

/** The conflicts of `threeWayMerge` alone. */
export const detectConflicts = (base: JsonValue, mine: JsonValue, theirs: JsonValue): MergeConflict[] =>
  threeWayMerge(base, mine, theirs).conflicts;

/**
 * The merged document with each conflict settled by the user's choice, keyed by the
 * conflict's `pointer`. Every conflict needs a choice (nothing is decided silently);
 * a missing one throws.
 */
export function resolveConflicts(
  base: JsonValue,
  mine: JsonValue,
  theirs: JsonValue,
  choices: Readonly<Record<string, ConflictChoice>>,
): JsonValue {
  const missing: string[] = [];
  const merged = merge3(base, mine, theirs, [], (conflict) => {
    const choice = choices[conflict.pointer];
    if (choice === undefined) missing.push(conflict.pointer === '' ? '(whole document)' : conflict.pointer);
    return choice ?? 'theirs';
  });
  if (missing.length > 0) throw new Error(`Unresolved conflicts: ${missing.join(', ')}`);
  return merged as JsonValue;
}
