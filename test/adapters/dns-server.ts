// A small authoritative-looking DNS server on UDP for tests (node:dgram, loopback only): answers A/AAAA from a table,
// NXDOMAIN, SERVFAIL, or nothing at all (a name it drops), and records every question it was asked.
import dgram from 'node:dgram';
import { isIPv4 } from 'node:net';

export type Answer = { rcode?: number; a?: string[]; aaaa?: string[] } | 'drop';

export interface DnsServer {
  port: number;
  address: string;
  /** Questions received, in order: "<name> A" / "<name> AAAA" (name lower-case, with its trailing dot). */
  asked: string[];
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;

function readName(buf: Buffer, off: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = off;
  while (buf[i]! !== 0) {
    const len = buf[i]!;
    labels.push(buf.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  return { name: `${labels.join('.')}.`, end: i + 1 };
}

function ipv6Bytes(a: string): Buffer {
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Starts the server on `address` (an IPv4 loopback address), `port` 0 = any free port. */
export async function startDnsServer(
  answer: (name: string, type: 'A' | 'AAAA' | number) => Answer,
  address = '127.0.0.1',
  port = 0,
): Promise<DnsServer> {
  const sock = dgram.createSocket(isIPv4(address) ? 'udp4' : 'udp6');
  const asked: string[] = [];
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const flags = msg.readUInt16BE(2);
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const type = qtype === TYPE_A ? 'A' : qtype === TYPE_AAAA ? 'AAAA' : qtype;
    const lname = name.toLowerCase();
    asked.push(`${lname} ${type}`);
    const ans = answer(lname, type);
    if (ans === 'drop') return;
    const records = (qtype === TYPE_A ? ans.a : qtype === TYPE_AAAA ? ans.aaaa : undefined) ?? [];
    const question = msg.subarray(12, end + 4);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0080 | ((ans.rcode ?? 0) & 0xf), 2); // QR, opcode+RD kept, RA
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(ans.rcode ? 0 : records.length, 6);
    const rrs = (ans.rcode ? [] : records).map((ip) => {
      const rdata = qtype === TYPE_A ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    sock.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, address, () => resolve());
  });
  return {
    port: sock.address().port,
    address,
    asked,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
