// Reads the Go toolchain version embedded in a Go binary (the .go.buildinfo section of an ELF file), without
// loading the whole binary: ELF header → section headers → the section, both the go1.18+ inline format and the
// older pointer format.

export interface RangeReader {
  (offset: number, length: number): Promise<Buffer>;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

interface Section {
  name: string;
  addr: bigint;
  offset: number;
  size: number;
}

interface Elf {
  is64: boolean;
  le: boolean;
  sections: Section[];
}

async function readElf(read: RangeReader): Promise<Elf> {
  const h = await read(0, 64);
  if (h.length < 52 || h.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF binary');
  const is64 = h[4] === 2;
  const le = h[5] === 1;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number) => (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const shoff = is64 ? Number(u64(h, 0x28)) : u32(h, 0x20);
  const shentsize = u16(h, is64 ? 0x3a : 0x2e);
  const shnum = u16(h, is64 ? 0x3c : 0x30);
  const shstrndx = u16(h, is64 ? 0x3e : 0x32);
  if (shnum === 0 || shnum > 4096 || shentsize < (is64 ? 64 : 40)) throw new Error('no usable section headers');
  const table = await read(shoff, shnum * shentsize);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    raw.push({
      nameOff: u32(table, o),
      addr: is64 ? u64(table, o + 0x10) : BigInt(u32(table, o + 0x0c)),
      offset: is64 ? Number(u64(table, o + 0x18)) : u32(table, o + 0x10),
      size: is64 ? Number(u64(table, o + 0x20)) : u32(table, o + 0x14),
    });
  }
  const strtab = raw[shstrndx];
  const names = strtab ? await read(strtab.offset, Math.min(strtab.size, 1 << 20)) : Buffer.alloc(0);
  const sections = raw.map((s) => {
    const end = names.indexOf(0, s.nameOff);
    return { name: names.subarray(s.nameOff, end < 0 ? undefined : end).toString('latin1'), addr: s.addr, offset: s.offset, size: s.size };
  });
  return { is64, le, sections };
}

function uvarint(b: Buffer, o: number): [number, number] {
  let x = 0;
  let s = 0;
  for (let i = 0; i < 10 && o + i < b.length; i++) {
    const c = b[o + i]!;
    if (c < 0x80) return [x + c * 2 ** s, o + i + 1];
    x += (c & 0x7f) * 2 ** s;
    s += 7;
  }
  throw new Error('bad varint');
}

/** Returns e.g. "go1.19.8", or throws when the binary carries no Go build info. */
export async function readGoVersion(read: RangeReader): Promise<string> {
  const elf = await readElf(read);
  const sec = elf.sections.find((s) => s.name === '.go.buildinfo');
  if (!sec) throw new Error('no .go.buildinfo section (not a Go binary, or stripped of build info)');
  const data = await read(sec.offset, Math.min(sec.size, 64 * 1024));
  if (!data.subarray(0, 14).equals(MAGIC)) throw new Error('bad build info magic');
  const ptrSize = data[14]!;
  const flags = data[15]!;
  if (flags & 0x2) {
    const [len, at] = uvarint(data, 32);
    return data.subarray(at, at + len).toString('utf8');
  }
  // pre-go1.18: data[16:] holds a pointer to a Go string header {ptr, len}
  const le = (flags & 0x1) === 0;
  const readPtr = (b: Buffer, o: number): bigint =>
    ptrSize === 8 ? (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : BigInt(le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const toOffset = (addr: bigint): number => {
    const s = elf.sections.find((x) => x.addr !== 0n && addr >= x.addr && addr < x.addr + BigInt(x.size));
    if (!s) throw new Error('build info pointer outside any section');
    return s.offset + Number(addr - s.addr);
  };
  const hdrAddr = readPtr(data, 16);
  const hdr = await read(toOffset(hdrAddr), ptrSize * 2);
  const strAddr = readPtr(hdr, 0);
  const strLen = Number(readPtr(hdr, ptrSize));
  if (strLen <= 0 || strLen > 256) throw new Error('implausible version string length');
  return (await read(toOffset(strAddr), strLen)).toString('utf8');
}
