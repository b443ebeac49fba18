// The order Go's resolver gives the dialer (net/addrselect.go sortByRFC6724), with fixed source addresses, and the
// kernel's source address for a loopback destination.
import { describe, expect, it } from 'vitest';
import { ipBytes, orderAddresses, sortByRFC6724, sourceAddress } from '../../src/adapters/addrselect.js';

const order = (pairs: [string, string | undefined][]) =>
  sortByRFC6724(
    pairs.map(([address]) => ({ address })),
    pairs.map(([, src]) => src),
  ).map((a) => a.address);

describe('RFC 6724 as Go sorts', () => {
  it('rule 1: a destination without a route (no source) goes last', () => {
    expect(
      order([
        ['2001:db8::1', undefined],
        ['10.0.0.1', '10.0.0.5'],
      ]),
    ).toEqual(['10.0.0.1', '2001:db8::1']);
  });

  it('rule 6: global IPv6 (40) before IPv4 (35) before a ULA (3); ::1 (50) before 127.0.0.1', () => {
    expect(
      order([
        ['10.0.0.1', '10.0.0.5'],
        ['2a00:1450::1', '2a00:1450::99'],
      ]),
    ).toEqual(['2a00:1450::1', '10.0.0.1']);
    expect(
      order([
        ['fd00::7', 'fd00::5'],
        ['10.0.0.1', '10.0.0.5'],
      ]),
    ).toEqual(['10.0.0.1', 'fd00::7']);
    expect(
      order([
        ['127.0.0.1', '127.0.0.1'],
        ['::1', '::1'],
      ]),
    ).toEqual(['::1', '127.0.0.1']);
  });

  it('rule 2/5: a destination whose source has another scope or label loses', () => {
    // a link-local source for a global destination: scope mismatch
    expect(
      order([
        ['2a00:1450::1', 'fe80::1'],
        ['10.0.0.1', '10.0.0.5'],
      ]),
    ).toEqual(['10.0.0.1', '2a00:1450::1']);
  });

  it('rule 9 for IPv6 only: the longer common prefix with its source first; IPv4 keeps its order', () => {
    expect(
      order([
        ['2a00:1::1', '2a00:2::9'],
        ['2a00:2::1', '2a00:2::9'],
      ]),
    ).toEqual(['2a00:2::1', '2a00:1::1']);
    expect(
      order([
        ['10.9.0.1', '10.0.0.5'],
        ['10.0.0.1', '10.0.0.5'],
      ]),
    ).toEqual(['10.9.0.1', '10.0.0.1']);
  });

  it('ipBytes: IPv4 as ::ffff:a.b.c.d, embedded IPv4, zones ignored', () => {
    expect(ipBytes('10.1.2.3')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 1, 2, 3]);
    expect(ipBytes('::ffff:10.1.2.3')).toEqual(ipBytes('10.1.2.3'));
    expect(ipBytes('fe80::1%eth0')).toEqual([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipBytes('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(ipBytes('no')).toBeUndefined();
  });

  it('the kernel’s source address for loopback; one address is returned as it is', async () => {
    expect(await sourceAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(await orderAddresses([{ address: '10.0.0.1' }])).toEqual([{ address: '10.0.0.1' }]);
  });
});
