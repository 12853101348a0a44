import { describe, expect, it } from 'vitest';
import { LosslessNumber, stringifyJson } from '@contract/json/lossless-json';
import {
  ContextShapeError,
  contextToText,
  parseContextListResponseAsync,
  parseContextResponse,
  parseContextResponseAsync,
  toJsonValue,
} from './context-json';

const response =
  '{"id":"ctx_1","agent_id":"a","workflow_id":null,"session_id":null,' +
  '"context":{"id_big":750727362669608961,"price":1.10,"z":1,"10":"ten","2":"two","__proto__":{"isAdmin":true},"huge":1e400},' +
  '"status":"idle","created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:00:00.000Z","extra":{"n":9007199254740993}}';

describe('context responses', () => {
  it('keep the context exactly (numbers, order, odd names) and the other fields as sent', () => {
    const context = parseContextResponse(response);
    expect(context.id).toBe('ctx_1');
    expect(context.workflow_id).toBeNull();
    expect(context.context?.get('id_big')).toEqual(new LosslessNumber('750727362669608961'));
    expect([...(context.context?.keys() ?? [])]).toEqual(['id_big', 'price', 'z', '10', '2', '__proto__', 'huge']);
    // Written back: the very same text, unknown fields included.
    expect(contextToText(context)).toBe(response);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('parse in time slices to the same result', async () => {
    expect(contextToText(await parseContextResponseAsync(response))).toBe(response);
  });

  it('refuse what is not a context', () => {
    expect(() => parseContextResponse('[1]')).toThrow(ContextShapeError);
    expect(() => parseContextResponse('{"id":"x","context":[1]}')).toThrow('context must be an object or null');
    expect(() => parseContextResponse('{"context":null}')).toThrow('without an id');
  });

  it('read a full list page', async () => {
    const page = await parseContextListResponseAsync(`{"data":[${response}],"has_more":true,"next_cursor":"abc"}`);
    expect(page.has_more).toBe(true);
    expect(page.next_cursor).toBe('abc');
    expect(page.data.map((c) => contextToText(c))).toEqual([response]);
  });
});

describe('toJsonValue', () => {
  it('turns plain values into lossless ones and passes lossless ones through', () => {
    const inner = new Map([['n', new LosslessNumber('1.10')]]);
    expect(stringifyJson(toJsonValue({ a: 1, b: [-0, 1e21, 'x', null, true], c: inner, d: undefined }))).toBe(
      '{"a":1,"b":[-0,1e+21,"x",null,true],"c":{"n":1.10}}',
    );
    expect(() => toJsonValue(Number.NaN)).toThrow(TypeError);
  });
});
