import { describe, expect, it } from 'vitest';
import { prettyJsonText } from './pretty-json-text';

describe('prettyJsonText', () => {
  it('indents without changing any token (big numbers, spellings, order, __proto__)', () => {
    const text = '{"z":1,"id":750727362669608961,"one":1.0,"exp":1E2,"__proto__":{"a":[-0,"x"]}}';
    const pretty = prettyJsonText(text);
    expect(pretty).toBe(
      '{\n  "z": 1,\n  "id": 750727362669608961,\n  "one": 1.0,\n  "exp": 1E2,\n  "__proto__": {\n    "a": [\n      -0,\n      "x"\n    ]\n  }\n}',
    );
    expect(pretty.replace(/\s+/g, '')).toBe(text);
  });

  it('shows a null context as null', () => {
    expect(prettyJsonText(null)).toBe('null');
  });
});
