// Minimal protobuf wire encoding for the CRI messages regdoctor uses (runtime.v1): field numbers per the
// Kubernetes CRI API. Only what is needed: strings, bools, nested messages, map<string,string>, repeated.
export type Field = { no: number; value: string | boolean | number | Buffer | Field[] | undefined };

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** Encodes fields in order; undefined and default values are omitted as proto3 does. */
export function encode(fields: Field[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    const v = f.value;
    if (v === undefined || v === '' || v === false) continue;
    if (typeof v === 'boolean' || typeof v === 'number') {
      parts.push(varint((f.no << 3) | 0), varint(v === true ? 1 : Number(v)));
    } else {
      const body = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.isBuffer(v) ? v : encode(v);
      parts.push(varint((f.no << 3) | 2), varint(body.length), body);
    }
  }
  return Buffer.concat(parts);
}

/** map<string,string> entries as repeated messages {1: key, 2: value}. */
export function mapEntries(no: number, m: Record<string, string> | undefined): Field[] {
  return Object.entries(m ?? {}).map(([k, v]) => ({
    no,
    value: [
      { no: 1, value: k },
      { no: 2, value: v },
    ],
  }));
}

export interface Decoded {
  /** field number → raw values in order (varints as numbers, length-delimited as Buffers). */
  [no: number]: (number | Buffer)[];
}

export function decode(buf: Buffer): Decoded {
  const out: Decoded = {};
  let i = 0;
  const readVarint = (): number => {
    let x = 0;
    let s = 0;
    for (let k = 0; k < 10; k++) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      x += (b & 0x7f) * 2 ** s;
      if (b < 0x80) return x;
      s += 7;
    }
    throw new Error('varint too long');
  };
  while (i < buf.length) {
    const key = readVarint();
    const no = Math.floor(key / 8);
    const wt = key & 7;
    let v: number | Buffer;
    if (wt === 0) v = readVarint();
    else if (wt === 2) {
      const len = readVarint();
      if (i + len > buf.length) throw new Error('truncated field');
      v = buf.subarray(i, i + len);
      i += len;
    } else if (wt === 1) {
      v = buf.subarray(i, i + 8);
      i += 8;
    } else if (wt === 5) {
      v = buf.subarray(i, i + 4);
      i += 4;
    } else throw new Error(`unsupported wire type ${wt}`);
    (out[no] ??= []).push(v);
  }
  return out;
}

export function str(d: Decoded, no: number): string {
  const v = d[no]?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : '';
}

export function bool(d: Decoded, no: number): boolean {
  return d[no]?.[0] === 1;
}

export function msgs(d: Decoded, no: number): Decoded[] {
  return (d[no] ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map((b) => decode(b));
}

export function map(d: Decoded, no: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of msgs(d, no)) out[str(e, 1)] = str(e, 2);
  return out;
}
