import { describe, expect, it } from 'vitest';
import { locateJsonFault } from '../../src/kube/json-fault.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locateJsonFault', () => {
  const cases: [string, string | undefined][] = [
    ['{"auths":{"r:5000":{"auth":"dXNlcjpw"}}}', undefined],
    ['[1, 2, [3, {"a": null}], true]', undefined],
    ['{"a":1,}', 'a comma before "}" (trailing comma)'],
    ['[1,2,]', 'a comma before "]" (trailing comma)'],
    ['{"a":1 "b":2}', 'a missing "," or "}" after a value'],
    ['[1 2]', 'a missing "," or "]" after an element'],
    ['{"a":1', 'the text ends before the JSON is complete'],
    ['[1', 'the text ends before the JSON is complete'],
    ["{'a':1}", 'a key in single quotes (JSON needs double quotes)'],
    ['{"auth":\'secret\'}', 'a string in single quotes (JSON needs double quotes)'],
  ];
  it.each(cases)('%s', (text, problem) => {
    const fault = locateJsonFault(text);
    expect(fault?.problem).toBe(problem);
    expect(fault === undefined).toBe(parses(text));
  });

  it('names the path down to the fault and never a value', () => {
    const fault = locateJsonFault('{"auths":{"reg:5000":{"auth":\'hunter2\'}}}');
    expect(fault).toMatchObject({ line: 1, path: ['auths', 'reg:5000', 'auth'] });
    expect(JSON.stringify(fault)).not.toContain('hunter2');
  });

  it('agrees with JSON.parse on every prefix of valid documents', () => {
    const docs = ['{"a":[1,{"b":"c"},[]],"d":{"e":false}}', '[{"x":-1.5e3},null,"s\\u00e9"]'];
    for (const doc of docs)
      for (let n = 0; n <= doc.length; n++) {
        const text = doc.slice(0, n);
        expect(locateJsonFault(text) === undefined, text).toBe(parses(text));
      }
  });
});
