// isIP (src/text/ip.ts) answers as node:net's isIP does, for addresses, names and garbage alike.
import { describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { ipv6Groups, ipv6Text, isIP } from '../../src/text/ip.js';

describe('isIP', () => {
  it('matches net.isIP on addresses, names and odd inputs', () => {
    const inputs = [
      '127.0.0.1',
      '10.0.0.256',
      '1.2.3',
      '01.2.3.4',
      '::1',
      '::',
      'fe80::1%eth0',
      '::ffff:192.0.2.1',
      '2001:db8::8a2e:370:7334',
      '2001:db8:::1',
      '[::1]',
      'reg.test',
      'localhost',
      'registry.example.com:5000',
      '',
      ' 127.0.0.1',
      '1.2.3.4 ',
      'x'.repeat(300),
      '１２７.0.0.1',
    ];
    for (const s of inputs) expect(isIP(s), JSON.stringify(s)).toBe(net.isIP(s));
  });

  it('matches net.isIP on random strings of address characters', () => {
    const alphabet = '0123456789abcdef:.%[]x';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const len = next() % 24;
      for (let k = 0; k < len; k++) s += alphabet[next() % alphabet.length];
      expect(isIP(s), JSON.stringify(s)).toBe(net.isIP(s));
    }
  });
});

describe('ipv6Text (Go net.IP.String, RFC 5952)', () => {
  it('compresses the longest zero run, the first of equal runs, never a single zero group', () => {
    expect(ipv6Text([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1');
    expect(ipv6Text([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(ipv6Text([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(ipv6Text([1, 0, 0, 1, 0, 0, 0, 1])).toBe('1:0:0:1::1');
    expect(ipv6Text([0, 0, 1, 0, 0, 1, 0, 0])).toBe('::1:0:0:1:0:0');
    expect(ipv6Text([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipv6Text([0xfe80, 0, 0, 0, 0xabcd, 0, 0, 0])).toBe('fe80::abcd:0:0:0');
  });
});

describe('ipv6Groups', () => {
  it('expands "::" and an IPv4 tail into eight groups, and refuses what is no IPv6 address', () => {
    expect(ipv6Groups('2001:DB8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(ipv6Groups('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
    expect(ipv6Groups('1:2:3:4:5:6:1.2.3.4')).toEqual([1, 2, 3, 4, 5, 6, 0x0102, 0x0304]);
    expect(ipv6Groups('10.0.0.1')).toBeUndefined();
    expect(ipv6Groups('1:2:3')).toBeUndefined();
    expect(ipv6Groups('host')).toBeUndefined();
  });
});
