// Where and why a JSON text is invalid, described by its structure only. JSON.parse's own message quotes the text
// around the fault ("…\"auth\":'dXNlcjpwY\"… is not valid JSON"), which for a pull secret is part of a password or
// an `auth` value; this says "line 1, column 27, in auths › "reg:5000" › auth: a string in single quotes" and never
// repeats a character of any value.

export interface JsonFault {
  line: number;
  column: number;
  /** Fixed wording, no input text. */
  problem: string;
  /** Object keys and array indices down to the fault (keys are structure, not values). */
  path: string[];
}

class Fault extends Error {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const MAX_DEPTH = 512;

/** undefined when the text is valid JSON. */
export function locateJsonFault(text: string): JsonFault | undefined {
  let i = 0;
  const path: string[] = [];
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const unexpected = (): never => {
    if (i >= text.length) throw new Fault(i, 'the text ends before the JSON is complete');
    const c = text[i]!;
    if (c === "'") throw new Fault(i, 'a string in single quotes (JSON needs double quotes)');
    if (/[A-Za-z0-9_$+]/.test(c)) throw new Fault(i, 'unquoted text where a value was expected');
    if (c === '\ufeff') throw new Fault(i, 'a byte order mark');
    throw new Fault(i, 'an unexpected character');
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Fault(i, 'a string that is never closed');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Fault(i, 'a control character (e.g. a raw newline) inside a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fault(i, 'an invalid \\u escape in a string');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Fault(i, 'an invalid escape in a string');
        i += 2;
        continue;
      }
      i++;
    }
  };
  const keyString = (): string => {
    const start = i;
    str();
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '?';
    }
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') throw new Fault(i, 'an invalid number');
    i += m[0].length;
    if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) throw new Fault(i, 'an invalid number');
  };
  /** After an object member or array element: true at the closer (consumed), false after a "," (consumed). */
  const afterMember = (closer: '}' | ']', what: string): boolean => {
    ws();
    if (text[i] === ',' || text[i] === closer) return text[i++] === closer;
    if (i >= text.length) unexpected();
    throw new Fault(i, `a missing "," or "${closer}" after ${what}`);
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Fault(i, `nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          if (text[i] === '}') throw new Fault(i, 'a comma before "}" (trailing comma)');
          if (text[i] === "'") throw new Fault(i, 'a key in single quotes (JSON needs double quotes)');
          if (i >= text.length) unexpected();
          throw new Fault(i, 'a key that is not a double-quoted string');
        }
        const key = keyString();
        ws();
        if (text[i] !== ':') {
          if (i >= text.length) unexpected();
          throw new Fault(i, 'a key without ":" after it');
        }
        i++;
        path.push(key);
        value(depth + 1);
        path.pop();
        if (afterMember('}', 'a value')) return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        path.push(`[${n}]`);
        ws();
        if (text[i] === ']') throw new Fault(i, 'a comma before "]" (trailing comma)');
        value(depth + 1);
        path.pop();
        if (afterMember(']', 'an element')) return;
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        if (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) {
          i -= word.length;
          unexpected();
        }
        return;
      }
    }
    unexpected();
  };
  try {
    value(0);
    ws();
    if (i < text.length) throw new Fault(i, 'more text after the JSON value');
    return undefined;
  } catch (err) {
    if (!(err instanceof Fault)) throw err;
    const before = text.slice(0, err.at);
    const line = before.split('\n').length;
    return { line, column: err.at - before.lastIndexOf('\n'), problem: err.problem, path: [...path] };
  }
}
