import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LosslessNumber, parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import { toJsonValue } from '@/lib/context-json';
import * as M from './merge-patch';
import { parseJsonPointer, toJsonPointer, type ConflictChoice, type JsonValue as LosslessValue } from './merge-patch';

// ---------------------------------------------------------------------------------------
// The algorithm's laws, stated on plain JavaScript values for readability: each function
// under test is called through a wrapper that turns plain values into the lossless ones
// the module works on (numbers as text, objects as Maps) and the results back. The
// lossless behaviour itself (order, exact numbers, untouched members) is tested at the
// end of this file on lossless values directly.

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const L = (value: JsonValue | undefined): LosslessValue | undefined => (value === undefined ? undefined : toJsonValue(value));
const L1 = (value: JsonValue): LosslessValue => toJsonValue(value);

function plain(value: LosslessValue | undefined): JsonValue | undefined {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof LosslessNumber) return Number(value.value);
  if (Array.isArray(value)) return value.map((item) => plain(item) as JsonValue);
  const out: JsonObject = {};
  for (const [key, member] of value) {
    Object.defineProperty(out, key, { value: plain(member), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
const P = (value: LosslessValue): JsonValue => plain(value) as JsonValue;

const plainChange = (c: M.DocumentChange) => ({ ...c, before: plain(c.before), after: plain(c.after) });
const plainConflict = (c: M.MergeConflict) => ({ ...c, base: plain(c.base), mine: plain(c.mine), theirs: plain(c.theirs) });

const applyMergePatch = (target: JsonValue | undefined, patch: JsonValue) => P(M.applyMergePatch(L(target), L1(patch)));
const createMergePatch = (source: JsonValue | undefined, target: JsonValue) => P(M.createMergePatch(L(source), L1(target)));
const isMergePatchRepresentable = (source: JsonValue | undefined, target: JsonValue) => M.isMergePatchRepresentable(L(source), L1(target));
const diffDocuments = (before: JsonValue | undefined, after: JsonValue | undefined) => M.diffDocuments(L(before), L(after)).map(plainChange);
const getAtPath = (document: JsonValue | undefined, path: readonly string[]) => plain(M.getAtPath(L(document), path));
const threeWayMerge = (base: JsonValue, mine: JsonValue, theirs: JsonValue) => {
  const result = M.threeWayMerge(L1(base), L1(mine), L1(theirs));
  return {
    ...result,
    mineChanges: result.mineChanges.map(plainChange),
    theirsChanges: result.theirsChanges.map(plainChange),
    minePatch: P(result.minePatch),
    conflicts: result.conflicts.map(plainConflict),
    merged: P(result.merged),
  };
};
const detectConflicts = (base: JsonValue, mine: JsonValue, theirs: JsonValue) =>
  M.detectConflicts(L1(base), L1(mine), L1(theirs)).map(plainConflict);
const resolveConflicts = (base: JsonValue, mine: JsonValue, theirs: JsonValue, choices: Readonly<Record<string, ConflictChoice>>) =>
  P(M.resolveConflicts(L1(base), L1(mine), L1(theirs), choices));
const jsonEqual = (a: JsonValue | undefined, b: JsonValue | undefined) => M.jsonEqual(L(a), L(b));
const isJsonObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const cloneJson = <T extends JsonValue>(value: T): T => structuredClone(value);

const json = (text: string): JsonValue => JSON.parse(text) as JsonValue; // fidelity-ok: plain test data

/** RFC 7386, Appendix A: [original, patch, result]. */
const APPENDIX_A: [string, string, string][] = [
  ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
  ['{"a":"b"}', '{"a":null}', '{}'],
  ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
  ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
  ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
  ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
  ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
  ['["a","b"]', '["c","d"]', '["c","d"]'],
  ['{"a":"b"}', '["c"]', '["c"]'],
  ['{"a":"foo"}', 'null', 'null'],
  ['{"a":"foo"}', '"bar"', '"bar"'],
  ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
  ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
  ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
];

/** RFC 7386, section 3. */
const SECTION_3 = {
  target: `{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
            "tags":["example","sample"],"content":"This will be unchanged"}`,
  patch: `{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}`,
  result: `{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
            "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}`,
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** Independent oracle for what a merge patch can reach: `t` minus the nulls it cannot set. */
function closestReachable(source: JsonValue | undefined, target: JsonValue): JsonValue {
  if (!isJsonObject(target)) return target;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(target)) {
    const before = isJsonObject(source) && Object.hasOwn(source, key) ? source[key] : undefined;
    if (value === null) {
      if (before === null) Object.defineProperty(result, key, { value: null, enumerable: true, writable: true, configurable: true });
    } else {
      Object.defineProperty(result, key, { value: closestReachable(before, value), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}

// Small key and leaf domains, so that independently generated documents overlap a lot.
const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'x/y~z');
const leafArb = fc.oneof(
  fc.constantFrom<JsonValue>(null, 0, 1, 'x', true, false),
  fc.array(fc.constantFrom<JsonValue>(null, 1, 'x'), { maxLength: 2 }),
);
const { node: nodeArb, obj: objArb } = fc.letrec<{ node: JsonValue; obj: JsonObject }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leafArb, tie('obj')),
  obj: fc.dictionary(keyArb, tie('node'), { maxKeys: 4 }),
}));
/** Objects that contain nulls (at any depth) more often than fc.jsonValue does. */
const objWithNullsArb: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.string({ maxLength: 3 }),
  fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, objArb),
  { maxKeys: 5 },
);

/** Edits to a document: set (value) or remove (null option) members along short paths. */
const editsArb = fc.array(fc.tuple(fc.array(keyArb, { minLength: 1, maxLength: 3 }), fc.option(nodeArb, { nil: undefined })), {
  maxLength: 4,
});

function applyEdits(document: JsonValue, edits: [string[], JsonValue | undefined][]): JsonValue {
  const copy = cloneJson(document);
  for (const [path, value] of edits) {
    let parent: JsonValue | undefined = copy;
    for (const key of path.slice(0, -1)) parent = isJsonObject(parent) ? parent[key] : undefined;
    if (!isJsonObject(parent)) continue; // tolerant: skip edits whose parent does not exist
    const last = path[path.length - 1] as string;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return copy;
}

const allChoices = (conflicts: { pointer: string }[], choice: ConflictChoice): Record<string, ConflictChoice> =>
  Object.fromEntries(conflicts.map((c) => [c.pointer, choice]));

describe('applyMergePatch (RFC 7386)', () => {
  it.each(APPENDIX_A)('Appendix A: %s + %s = %s', (original, patch, result) => {
    expect(applyMergePatch(json(original), json(patch))).toEqual(json(result));
  });

  it('section 3 example', () => {
    expect(applyMergePatch(json(SECTION_3.target), json(SECTION_3.patch))).toEqual(json(SECTION_3.result));
  });

  it('treats member names such as __proto__ and constructor as plain data', () => {
    const target = json('{"__proto__":{"a":1},"constructor":2}');
    const result = applyMergePatch(target, json('{"__proto__":{"b":2},"toString":3}'));
    expect(JSON.stringify(result)).toBe('{"__proto__":{"a":1,"b":2},"constructor":2,"toString":3}');
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(applyMergePatch({}, json('{"hasOwnProperty":{"x":1}}'))).toEqual({ hasOwnProperty: { x: 1 } });
  });

  it('never mutates its inputs, and the result does not alias the patch', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const [t, p] = [structuredClone(target), structuredClone(patch)] as [JsonValue, JsonValue];
        const result = applyMergePatch(deepFreeze(t), deepFreeze(p));
        expect(t).toEqual(target);
        expect(p).toEqual(patch);
        if (typeof result === 'object' && result !== null && typeof p === 'object' && p !== null) expect(result).not.toBe(p);
      }),
    );
  });

  it('is idempotent: apply(apply(t, p), p) = apply(t, p)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.jsonValue(), objWithNullsArb), (target, patch) => {
        const once = applyMergePatch(target as JsonValue, patch as JsonValue);
        expect(applyMergePatch(once, patch as JsonValue)).toEqual(once);
      }),
    );
  });
});

describe('createMergePatch', () => {
  it.each(APPENDIX_A)('Appendix A round trip: %s → %s', (original, _patch, result) => {
    const source = json(original);
    const target = json(result);
    expect(applyMergePatch(source, createMergePatch(source, target))).toEqual(target);
  });

  it('produces the smallest patch', () => {
    expect(createMergePatch(json(SECTION_3.target), json(SECTION_3.result))).toEqual(json(SECTION_3.patch));
    expect(createMergePatch({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } })).toEqual({});
    expect(createMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toEqual({ a: null, b: { d: null } });
    expect(createMergePatch({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual({ a: [1, 2, 3] });
    expect(createMergePatch({ a: 1 }, 'x')).toBe('x');
    expect(createMergePatch({ a: 1 }, null)).toBeNull();
    expect(createMergePatch(null, { a: 1 })).toEqual({ a: 1 });
  });

  it('keeps existing nulls, carries nulls inside arrays, and cannot set a member to null', () => {
    // An existing null member is left alone, so it survives.
    expect(applyMergePatch({ a: null, b: 1 }, createMergePatch({ a: null, b: 1 }, { a: null, b: 2 }))).toEqual({ a: null, b: 2 });
    // Arrays are replaced whole, nulls and all.
    expect(applyMergePatch({ a: [1] }, createMergePatch({ a: [1] }, { a: [null, { b: null }] }))).toEqual({ a: [null, { b: null }] });
    // A bare null document is a value, not a deletion.
    expect(applyMergePatch({ a: 1 }, createMergePatch({ a: 1 }, null))).toBeNull();
    // RFC 7386 limitation: no patch sets a member to null; the closest is removing it.
    expect(isMergePatchRepresentable({ a: 1 }, { a: null })).toBe(false);
    expect(createMergePatch({ a: 1 }, { a: null })).toEqual({ a: null });
    expect(applyMergePatch({ a: 1 }, createMergePatch({ a: 1 }, { a: null }))).toEqual({});
    expect(createMergePatch(1, { a: null, b: { c: null, d: [null] } })).toEqual({ b: { d: [null] } });
    expect(isMergePatchRepresentable({ a: { b: null } }, { a: { b: null, c: 1 } })).toBe(true);
    expect(isMergePatchRepresentable({ a: 5 }, { a: { b: null } })).toBe(false);
  });

  it('round-trips exactly for any JSON whose target has no null members (fc.jsonValue)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (source, target) => {
        const s = source as JsonValue;
        const t = closestReachable(undefined, target as JsonValue); // no null members
        expect(applyMergePatch(s, createMergePatch(s, t))).toEqual(t);
      }),
    );
  });

  it('round-trips exactly whenever any merge patch can, and otherwise reaches the documented closest value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), objWithNullsArb, objArb), fc.oneof(fc.jsonValue(), objWithNullsArb, objArb), (source, target) => {
        const [s, t] = [source as JsonValue, target as JsonValue];
        const result = applyMergePatch(s, createMergePatch(s, t));
        expect(jsonEqual(result, t)).toBe(isMergePatchRepresentable(s, t));
        expect(result).toEqual(closestReachable(s, t));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips edits of documents that contain nulls (existing nulls kept, changed ones set)', () => {
    fc.assert(
      fc.property(objWithNullsArb, editsArb, (source, edits) => {
        // Edits that bring no new null member: the nulls of `target` are the untouched ones
        // of `source`, so a patch can express the change exactly.
        const nullFree = (value: JsonValue | undefined) => (value === null ? 7 : value === undefined ? value : closestReachable(undefined, value));
        const target = applyEdits(source, edits.map(([path, value]) => [path, nullFree(value)]));
        expect(isMergePatchRepresentable(source, target)).toBe(true);
        expect(applyMergePatch(source, createMergePatch(source, target))).toEqual(target);
      }),
    );
  });

  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), objWithNullsArb, (source, target) => {
        const [s, t] = [structuredClone(source), structuredClone(target)] as [JsonValue, JsonValue];
        createMergePatch(deepFreeze(s), deepFreeze(t));
        expect(s).toEqual(source);
        expect(t).toEqual(target);
      }),
    );
  });
});

describe('paths and diffs', () => {
  it('encodes and parses RFC 6901 pointers', () => {
    expect(toJsonPointer([])).toBe('');
    expect(toJsonPointer(['a', 'x/y~z', ''])).toBe('/a/x~1y~0z/');
    expect(parseJsonPointer('/a/x~1y~0z/')).toEqual(['a', 'x/y~z', '']);
    expect(parseJsonPointer('')).toEqual([]);
    expect(() => parseJsonPointer('a')).toThrow();
    fc.assert(
      fc.property(fc.array(fc.string()), (path) => {
        expect(parseJsonPointer(toJsonPointer(path))).toEqual(path);
      }),
    );
  });

  it('diffs exactly: null is a value, removal is undefined, arrays are atomic', () => {
    expect(diffDocuments({ a: 1, b: { c: [1], d: 2 }, e: 3 }, { a: null, b: { c: [1, 2], d: 2 }, f: 4 })).toEqual([
      { path: ['a'], pointer: '/a', before: 1, after: null },
      { path: ['b', 'c'], pointer: '/b/c', before: [1], after: [1, 2] },
      { path: ['e'], pointer: '/e', before: 3, after: undefined },
      { path: ['f'], pointer: '/f', before: undefined, after: 4 },
    ]);
    expect(diffDocuments(null, { a: 1 })).toEqual([{ path: [], pointer: '', before: null, after: { a: 1 } }]);
    expect(getAtPath({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(getAtPath({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });
});

describe('threeWayMerge', () => {
  const base = { step: 'processing', progress: 75, results: { docs: 10, entities: 25 }, tags: ['a'] };

  it('keeps both sides when they changed different keys', () => {
    const mine = { ...base, progress: 90, results: { docs: 11, entities: 25 } };
    const theirs = { ...base, step: 'validation', results: { docs: 10, entities: 30 }, note: 'x' };
    const result = threeWayMerge(base, mine, theirs);
    expect(result.clean).toBe(true);
    expect(result.conflicts).toEqual([]);
    expect(result.merged).toEqual({ step: 'validation', progress: 90, results: { docs: 11, entities: 30 }, tags: ['a'], note: 'x' });
    expect(result.minePatch).toEqual({ progress: 90, results: { docs: 11 } });
    expect(result.mineChanges.map((c) => c.pointer)).toEqual(['/progress', '/results/docs']);
  });

  it('does not treat the same change on both sides as a conflict', () => {
    const both = { ...base, progress: 100 };
    const { tags: _tags, ...withoutTags } = base;
    expect(threeWayMerge(base, both, both)).toMatchObject({ clean: true, merged: both });
    expect(threeWayMerge(base, withoutTags, { ...withoutTags, progress: 1 })).toMatchObject({
      clean: true,
      merged: { ...withoutTags, progress: 1 },
    });
  });

  it('reports different values for the same key as a conflict, and resolves it either way', () => {
    const mine = { ...base, progress: 90, step: 'done' };
    const theirs = { ...base, progress: 80 };
    const result = threeWayMerge(base, mine, theirs);
    expect(result.clean).toBe(false);
    expect(result.conflicts).toEqual([{ path: ['progress'], pointer: '/progress', base: 75, mine: 90, theirs: 80 }]);
    expect(result.merged).toEqual({ ...base, progress: 80, step: 'done' }); // non-conflicting change applied
    expect(resolveConflicts(base, mine, theirs, { '/progress': 'mine' })).toEqual({ ...base, progress: 90, step: 'done' });
    expect(resolveConflicts(base, mine, theirs, { '/progress': 'theirs' })).toEqual({ ...base, progress: 80, step: 'done' });
    expect(() => resolveConflicts(base, mine, theirs, {})).toThrow('Unresolved conflicts: /progress');
  });

  it('reports a change under a key the other side deleted (at the deleted key)', () => {
    const { results: _r, ...theirs } = base;
    const mine = { ...base, results: { docs: 12, entities: 25 } };
    expect(detectConflicts(base, mine, theirs)).toEqual([
      { path: ['results'], pointer: '/results', base: base.results, mine: mine.results, theirs: undefined },
    ]);
    expect(resolveConflicts(base, mine, theirs, { '/results': 'theirs' })).toEqual(theirs);
    expect(resolveConflicts(base, mine, theirs, { '/results': 'mine' })).toEqual(mine);
    // And the other way round: I deleted, they changed inside.
    expect(detectConflicts(base, theirs, mine).map((c) => c.pointer)).toEqual(['/results']);
    expect(resolveConflicts(base, theirs, mine, { '/results': 'mine' })).toEqual(theirs);
  });

  it('treats arrays as values and the whole document as a place', () => {
    expect(detectConflicts(base, { ...base, tags: ['a', 'b'] }, { ...base, tags: ['c'] }).map((c) => c.pointer)).toEqual(['/tags']);
    expect(detectConflicts(null, { a: 1 }, { b: 2 }).map((c) => c.pointer)).toEqual(['']);
    expect(resolveConflicts(null, { a: 1 }, { b: 2 }, { '': 'mine' })).toEqual({ a: 1 });
    expect(() => resolveConflicts(null, { a: 1 }, { b: 2 }, {})).toThrow('(whole document)');
  });

  it('keeps a null the user typed (a merge patch could not)', () => {
    const result = threeWayMerge({ error: 'boom', n: 1 }, { error: null, n: 1 }, { error: 'boom', n: 2 });
    expect(result).toMatchObject({ clean: true, merged: { error: null, n: 2 } });
  });

  it('law: theirs ≡ base ⇒ merged ≡ mine, for any JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), objWithNullsArb), fc.oneof(fc.jsonValue(), objWithNullsArb), (b, m) => {
        const result = threeWayMerge(b as JsonValue, m as JsonValue, structuredClone(b) as JsonValue);
        expect(result.clean).toBe(true);
        expect(result.merged).toEqual(m);
      }),
    );
  });

  it('law: mine ≡ base ⇒ merged ≡ theirs; mine ≡ theirs ⇒ merged ≡ mine', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), objArb), fc.oneof(fc.jsonValue(), objArb), (b, t) => {
        expect(threeWayMerge(b as JsonValue, structuredClone(b) as JsonValue, t as JsonValue)).toMatchObject({ clean: true, merged: t });
        expect(threeWayMerge(b as JsonValue, t as JsonValue, structuredClone(t) as JsonValue)).toMatchObject({ clean: true, merged: t });
      }),
    );
  });

  it('law: changes to disjoint keys always merge cleanly and both survive', () => {
    const mineKeys = fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 3 });
    const theirsKeys = fc.array(fc.constantFrom('c', 'd'), { minLength: 1, maxLength: 3 });
    const disjointEdits = (keys: fc.Arbitrary<string[]>) =>
      fc.array(fc.tuple(keys, fc.option(nodeArb, { nil: undefined })), { maxLength: 4 });
    fc.assert(
      fc.property(objArb, disjointEdits(mineKeys), disjointEdits(theirsKeys), (b, mineEdits, theirsEdits) => {
        const mine = applyEdits(b, mineEdits);
        const theirs = applyEdits(b, theirsEdits);
        const result = threeWayMerge(b, mine, theirs);
        // Paths through a/b and through c/d never overlap, except at the root.
        expect(result.clean).toBe(true);
        for (const change of [...result.mineChanges, ...result.theirsChanges]) {
          expect(getAtPath(result.merged, change.path)).toEqual(change.after);
        }
      }),
    );
  });

  it('law: without conflicts every change of either side holds; conflicts are real and resolve as chosen', () => {
    fc.assert(
      fc.property(objArb, editsArb, editsArb, (b, mineEdits, theirsEdits) => {
        const mine = applyEdits(b, mineEdits);
        const theirs = applyEdits(b, theirsEdits);
        const result = threeWayMerge(b, mine, theirs);
        for (const conflict of result.conflicts) {
          expect(jsonEqual(conflict.mine, conflict.theirs)).toBe(false);
          expect(jsonEqual(conflict.mine, conflict.base)).toBe(false);
          expect(jsonEqual(conflict.theirs, conflict.base)).toBe(false);
          expect(getAtPath(mine, conflict.path)).toEqual(conflict.mine);
          expect(getAtPath(theirs, conflict.path)).toEqual(conflict.theirs);
        }
        const pointers = result.conflicts.map((c) => c.pointer);
        expect(new Set(pointers).size).toBe(pointers.length);

        const preferMine = resolveConflicts(b, mine, theirs, allChoices(result.conflicts, 'mine'));
        const preferTheirs = resolveConflicts(b, mine, theirs, allChoices(result.conflicts, 'theirs'));
        expect(preferTheirs).toEqual(result.merged);
        // Whoever wins a conflict, every change of the winner holds in the result, and the
        // loser's changes hold wherever they did not conflict.
        for (const change of result.mineChanges) expect(getAtPath(preferMine, change.path)).toEqual(change.after);
        for (const change of result.theirsChanges) expect(getAtPath(preferTheirs, change.path)).toEqual(change.after);
        if (result.clean) expect(preferMine).toEqual(preferTheirs);
        // Symmetry: preferring mine is preferring "theirs" with the roles swapped.
        const swapped = threeWayMerge(b, theirs, mine);
        expect(swapped.conflicts.map((c) => c.pointer).sort()).toEqual([...pointers].sort());
        expect(preferMine).toEqual(resolveConflicts(b, theirs, mine, allChoices(swapped.conflicts, 'theirs')));
      }),
      { numRuns: 300 },
    );
  });

  it('law: the same key set to different values conflicts at that key', () => {
    fc.assert(
      fc.property(objArb, keyArb, nodeArb, nodeArb, (b, key, x, y) => {
        fc.pre(!jsonEqual(x, y) && !jsonEqual(b[key], x) && !jsonEqual(b[key], y));
        const mine = { ...b, [key]: x };
        const theirs = { ...b, [key]: y };
        const conflicts = detectConflicts(b, mine, theirs);
        if (isJsonObject(b[key]) && isJsonObject(x) && isJsonObject(y)) {
          // Objects merge member by member: conflicts, if any, are inside the key.
          for (const c of conflicts) expect(c.path[0]).toBe(key);
        } else {
          expect(conflicts.map((c) => c.pointer)).toEqual([toJsonPointer([key])]);
        }
      }),
    );
  });

  it('never mutates base, mine or theirs', () => {
    fc.assert(
      fc.property(objArb, editsArb, editsArb, (b, mineEdits, theirsEdits) => {
        const [mine, theirs] = [applyEdits(b, mineEdits), applyEdits(b, theirsEdits)];
        const copies = structuredClone([b, mine, theirs]);
        const result = threeWayMerge(deepFreeze(b), deepFreeze(mine), deepFreeze(theirs));
        resolveConflicts(b, mine, theirs, allChoices(result.conflicts, 'mine'));
        expect([b, mine, theirs]).toEqual(copies);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------
// Lossless values: exact numbers, member order, and members nobody changed left alone.

const lossless = (text: string): LosslessValue => parseJsonText(text).value;
const text = (value: LosslessValue | undefined): string | undefined => (value === undefined ? undefined : stringifyJson(value));

/** Number spellings JSON.parse would change: big integers, trailing zeros, exponents, -0. */
const oddNumberArb = fc
  .oneof(
    fc.constantFrom('750727362669608961', '9223372036854775807', '9007199254740993', '1.10', '1.0', '-0', '1E2', '1e400', '-1.5e-7', '0.30000000000000004'),
    fc.bigInt({ min: 10n ** 16n, max: 10n ** 20n }).map(String),
  )
  .map((t) => new LosslessNumber(t));
/** Member names a plain object would reorder or treat specially. */
const oddKeyArb = fc.constantFrom('10', '2', '0', 'a', 'z', '__proto__', 'constructor', 'prototype', 'x/y~z');
const { node: losslessNodeArb, obj: losslessObjArb } = fc.letrec<{ node: LosslessValue; obj: Map<string, LosslessValue> }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    oddNumberArb,
    fc.constantFrom<LosslessValue>(null, true, 'x'),
    fc.array(oddNumberArb, { maxLength: 2 }),
    tie('obj'),
  ),
  obj: fc.uniqueArray(fc.tuple(oddKeyArb, tie('node')), { maxLength: 5, selector: ([k]) => k }).map((entries) => new Map(entries)),
}));

/** A lossless document with some members set (a new odd value) or removed along paths. */
function editLossless(document: Map<string, LosslessValue>, edits: Array<[string[], LosslessValue | undefined]>): Map<string, LosslessValue> {
  const copy = M.cloneJson(document);
  for (const [path, value] of edits) {
    let parent: LosslessValue | undefined = copy;
    for (const key of path.slice(0, -1)) parent = M.isJsonObject(parent) ? parent.get(key) : undefined;
    if (!M.isJsonObject(parent)) continue;
    const last = path[path.length - 1] as string;
    if (value === undefined) parent.delete(last);
    else parent.set(last, value);
  }
  return copy;
}
const losslessEditsArb = (keys: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(fc.array(keys, { minLength: 1, maxLength: 3 }), fc.option(losslessNodeArb, { nil: undefined })), { maxLength: 4 });

/** Every path to a leaf or container of a document (member names only: arrays are values). */
function allPaths(value: LosslessValue, prefix: string[] = []): string[][] {
  if (!M.isJsonObject(value)) return [prefix];
  return [prefix, ...[...value].flatMap(([key, member]) => allPaths(member, [...prefix, key]))];
}
const touches = (changes: readonly M.DocumentChange[], path: readonly string[]) =>
  changes.some((c) => {
    const n = Math.min(c.path.length, path.length);
    return c.path.slice(0, n).every((key, i) => key === path[i]);
  });

describe('lossless values', () => {
  it('applyMergePatch keeps every number as written and members in their order', () => {
    const target = lossless('{"z":1.10,"10":750727362669608961,"2":{"b":1E2,"a":-0},"__proto__":1}');
    const result = M.applyMergePatch(target, lossless('{"2":{"a":null,"c":1.0},"new":9007199254740993}'));
    expect(text(result)).toBe('{"z":1.10,"10":750727362669608961,"2":{"b":1E2,"c":1.0},"__proto__":1,"new":9007199254740993}');
    // Members the patch does not name are the very same values.
    expect(M.isJsonObject(result) && result.get('10')).toBe(M.isJsonObject(target) && target.get('10'));
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('a concurrent writer\'s big number survives the merge of an edit to another key', () => {
    const base = lossless('{"id_big":750727362669608961,"price":1.10,"step":"a"}');
    const mine = lossless('{"id_big":750727362669608961,"price":1.10,"step":"b"}');
    const theirs = lossless('{"id_big":750727362669608961,"price":1.10,"step":"a","added":9223372036854775807}');
    const result = M.threeWayMerge(base, mine, theirs);
    expect(result.clean).toBe(true);
    expect(text(result.merged)).toBe('{"id_big":750727362669608961,"price":1.10,"step":"b","added":9223372036854775807}');
  });

  it('a number respelled is a change (1.0 → 1), so it is never silently lost or made', () => {
    expect(M.diffDocuments(lossless('{"n":1.0}'), lossless('{"n":1}')).map((c) => c.pointer)).toEqual(['/n']);
    expect(M.threeWayMerge(lossless('{"n":1.0}'), lossless('{"n":1.0}'), lossless('{"n":1}')).merged).toEqual(lossless('{"n":1}'));
  });

  it('property: the merge never changes a member that neither side changed', () => {
    fc.assert(
      fc.property(losslessObjArb, losslessEditsArb(oddKeyArb), losslessEditsArb(oddKeyArb), (base, mineEdits, theirsEdits) => {
        const mine = editLossless(base, mineEdits);
        const theirs = editLossless(base, theirsEdits);
        const before = text(base);
        const result = M.threeWayMerge(base, mine, theirs);
        const resolved = M.resolveConflicts(base, mine, theirs, Object.fromEntries(result.conflicts.map((c) => [c.pointer, 'mine'])));
        for (const merged of [result.merged, resolved]) {
          for (const path of allPaths(base)) {
            if (touches(result.mineChanges, path) || touches(result.theirsChanges, path)) continue;
            // Untouched: exactly the same text (big numbers, spellings and order included).
            expect(text(M.getAtPath(merged, path))).toBe(text(M.getAtPath(base, path)));
          }
        }
        // Every change holds exactly where it did not conflict.
        if (result.clean) {
          for (const change of [...result.mineChanges, ...result.theirsChanges]) {
            expect(text(M.getAtPath(result.merged, change.path))).toBe(text(change.after));
          }
        }
        expect(text(base)).toBe(before); // inputs untouched
      }),
      { numRuns: 300 },
    );
  });

  it('property: members keep theirs\' order, then the ones only mine added', () => {
    fc.assert(
      fc.property(losslessObjArb, losslessEditsArb(oddKeyArb), losslessEditsArb(oddKeyArb), (base, mineEdits, theirsEdits) => {
        const mine = editLossless(base, mineEdits);
        const theirs = editLossless(base, theirsEdits);
        const { merged, clean } = M.threeWayMerge(base, mine, theirs);
        if (!clean || !M.isJsonObject(merged)) return;
        // A side that changed nothing (a member removed and added back only moves it) is
        // not merged member by member: the other side is taken whole, in its own order.
        const order = M.jsonEqual(mine, base)
          ? [...theirs.keys()]
          : M.jsonEqual(theirs, base) || M.jsonEqual(mine, theirs)
            ? [...mine.keys()]
            : [...theirs.keys(), ...[...mine.keys()].filter((k) => !theirs.has(k))];
        expect([...merged.keys()]).toEqual(order.filter((k) => merged.has(k)));
      }),
      { numRuns: 200 },
    );
  });

  it('property: applyMergePatch never changes a member the patch does not name', () => {
    fc.assert(
      fc.property(losslessObjArb, losslessObjArb, (target, patch) => {
        const before = text(target);
        const result = M.applyMergePatch(target, patch);
        if (!M.isJsonObject(result)) return;
        for (const [key, member] of target) {
          if (!patch.has(key)) expect(result.get(key)).toBe(member);
        }
        // Order: the target's members in place, then the patch's new ones.
        expect([...result.keys()]).toEqual([
          ...[...target.keys()].filter((k) => patch.get(k) !== null),
          ...[...patch.keys()].filter((k) => !target.has(k) && patch.get(k) !== null),
        ]);
        expect(text(target)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('property: createMergePatch round-trips lossless documents without nulls exactly', () => {
    const noNulls = losslessObjArb.filter((value) => !(text(value) ?? '').includes('null'));
    fc.assert(
      fc.property(losslessObjArb, noNulls, (source, target) => {
        const result = M.applyMergePatch(source, M.createMergePatch(source, target));
        expect(M.jsonEqual(result, target)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
