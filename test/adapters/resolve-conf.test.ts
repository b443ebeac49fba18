// The node's resolver configuration read as containerd's Go resolver reads it: resolv.conf (net/dnsconfig_unix.go),
// nsswitch.conf (net/nss.go), /etc/hosts (net/hosts.go), the choice between Go's own resolver and libc
// (net/conf.go lookupOrder, Go 1.21+) and the names queried for a short name (net/dnsclient_unix.go nameList).
import { describe, expect, it } from 'vitest';
import {
  canonicalIP,
  goDebugNetDNS,
  hostsLinesNaming,
  lowerASCII,
  isDomainName,
  lookupOrder,
  lookupStaticHost,
  nameList,
  parseHostsFile,
  parseNsswitch,
  parseResolvConf,
  type LookupOrderInput,
} from '../../src/adapters/resolve-conf.js';

describe('resolv.conf as Go reads it', () => {
  it('defaults: 5 s, 2 attempts, ndots 1; no file → loopback servers and the host name’s domain as search', () => {
    const c = parseResolvConf('nameserver 10.0.0.2\n');
    expect(c).toMatchObject({ servers: ['10.0.0.2'], ndots: 1, timeoutMs: 5000, attempts: 2, unknown: [], search: [] });
    expect(parseResolvConf(undefined, { err: 'ENOENT', hostname: 'node1.corp.example' })).toMatchObject({
      servers: ['127.0.0.1', '::1'],
      search: ['corp.example.'],
      err: 'ENOENT',
    });
    // a host name whose only dot is the last byte gives no search domain
    expect(parseResolvConf('', { hostname: 'node1.' }).search).toEqual([]);
  });

  it('at most three servers, IP literals only (a name is skipped), comments only at column 0', () => {
    const c = parseResolvConf(
      '# comment\n; another\nnameserver dns.corp\nnameserver 10.0.0.1 # trailing text is ignored\n  # indented: an unknown keyword\n' +
        'nameserver fd00::53\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n',
    );
    expect(c.servers).toEqual(['10.0.0.1', 'fd00::53', '10.0.0.3']);
    expect(c.unknown).toEqual(['#']);
  });

  it('domain and search replace each other (the last wins), rooted; "." entries dropped; options clamped', () => {
    const c = parseResolvConf('search a.example b.example.\ndomain c.example\n');
    expect(c.search).toEqual(['c.example.']);
    expect(parseResolvConf('domain c.example\nsearch a.example . b.example.\n').search).toEqual(['a.example.', 'b.example.']);
    const o = parseResolvConf('options ndots:99 timeout:0 attempts:abc rotate single-request-reopen use-vc edns0 trust-ad no-reload\n');
    expect(o).toMatchObject({ ndots: 15, timeoutMs: 1000, attempts: 1, rotate: true, singleRequest: true, useTCP: true, unknown: [] });
    expect(parseResolvConf('options ndots:0 timeout:30 attempts:3\r\n')).toMatchObject({ ndots: 0, timeoutMs: 30000, attempts: 3 });
  });

  it('records what Go does not know: an unknown option or keyword (sortlist)', () => {
    expect(parseResolvConf('nameserver 10.0.0.2\noptions inet6 ndots:2\nsortlist 10.0.0.0/8\n').unknown).toEqual([
      'options inet6',
      'sortlist',
    ]);
  });
});

describe('nsswitch.conf as Go reads it', () => {
  it('sources with criteria, comments anywhere', () => {
    const n = parseNsswitch('passwd: files systemd # users\nhosts:  files mdns4_minimal [NOTFOUND=return] dns myhostname\n');
    expect(n.err).toBeUndefined();
    expect(n.sources.get('hosts')).toEqual([
      { source: 'files', criteria: [] },
      { source: 'mdns4_minimal', criteria: [{ negate: false, status: 'notfound', action: 'return' }] },
      { source: 'dns', criteria: [] },
      { source: 'myhostname', criteria: [] },
    ]);
  });

  it('a line without a colon, an unclosed bracket or a bad criterion is an error', () => {
    expect(parseNsswitch('hosts files dns\n').err).toBe('no colon on line');
    expect(parseNsswitch('hosts: dns [NOTFOUND=return\n').err).toBe('unclosed criterion bracket');
    expect(parseNsswitch('hosts: dns [NOTFOUND]\n').err).toMatch(/^invalid criteria/);
  });

  it('a tab does not separate sources (Go splits at spaces only)', () => {
    expect(parseNsswitch('hosts:\tfiles\tdns\n').sources.get('hosts')).toEqual([{ source: 'files\tdns', criteria: [] }]);
  });
});

describe('which resolver containerd uses (net/conf.go lookupOrder)', () => {
  const base = (nss: string | undefined, resolv = 'nameserver 10.0.0.2\n', extra: Partial<LookupOrderInput> = {}) =>
    lookupOrder({
      hostname: 'reg.corp.example',
      resolv: parseResolvConf(resolv),
      nss: nss === undefined ? { sources: new Map(), err: 'ENOENT' } : parseNsswitch(nss),
      nodeHostname: 'node1',
      mdnsAllow: 'absent',
      ...extra,
    }).order;

  it('the pure-Go resolver for files/dns in their order, and without nsswitch.conf or a hosts line', () => {
    expect(base('hosts: files dns\n')).toBe('files,dns');
    expect(base('hosts: dns files\n')).toBe('dns,files');
    expect(base('hosts: files\n')).toBe('files');
    expect(base('hosts: dns\n')).toBe('dns');
    expect(base(undefined)).toBe('files,dns');
    expect(base('passwd: files\n')).toBe('files,dns');
    // default criteria written out are still standard; a last "=return" too
    expect(base('hosts: files [SUCCESS=return NOTFOUND=continue] dns [NOTFOUND=return]\n')).toBe('files,dns');
  });

  it('libc for a source Go does not know, non-standard criteria on files/dns, an unreadable nsswitch.conf', () => {
    expect(base('hosts: files resolve [!UNAVAIL=return] dns\n')).toBe('cgo');
    expect(base('hosts: files dns [NOTFOUND=continue UNAVAIL=return SUCCESS=continue]\n')).toBe('cgo');
    expect(base('hosts: files [!NOTFOUND=return] dns\n')).toBe('cgo');
    expect(base('hosts: files wins dns\n')).toBe('cgo');
    expect(base('hosts files dns\n')).toBe('cgo');
    expect(
      lookupOrder({ hostname: 'r.example', resolv: parseResolvConf(''), nss: { sources: new Map(), err: 'EACCES' }, mdnsAllow: 'absent' })
        .order,
    ).toBe('cgo');
  });

  it('mdns and myhostname: Go goes on unless the name is theirs (.local, localhost, the node’s own name) or mdns.allow exists', () => {
    const ubuntu = 'hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\n';
    expect(base(ubuntu)).toBe('files,dns');
    expect(base(ubuntu, undefined, { hostname: 'printer.local' })).toBe('cgo');
    expect(base(ubuntu, undefined, { hostname: 'NODE1.' })).toBe('cgo');
    expect(base(ubuntu, undefined, { hostname: 'x.localhost' })).toBe('cgo');
    expect(base(ubuntu, undefined, { hostname: '_gateway' })).toBe('cgo');
    expect(base(ubuntu, undefined, { mdnsAllow: 'present' })).toBe('cgo');
    expect(base('hosts: files dns\n', undefined, { hostname: 'printer.local' })).toBe('files,dns');
  });

  it('libc for resolv.conf options Go does not know, an unreadable resolv.conf (not a missing one), resolver env variables', () => {
    expect(base('hosts: files dns\n', 'nameserver 10.0.0.2\noptions inet6\n')).toBe('cgo');
    expect(base('hosts: files dns\n', 'nameserver 10.0.0.2\noptions timeout:30 attempts:3 rotate edns0\n')).toBe('files,dns');
    const resolvErr = (err: string) =>
      lookupOrder({
        hostname: 'r.example',
        resolv: parseResolvConf(undefined, { err }),
        nss: parseNsswitch('hosts: files dns'),
        mdnsAllow: 'absent',
      }).order;
    expect(resolvErr('ENOENT')).toBe('files,dns');
    expect(resolvErr('EACCES')).toBe('files,dns');
    expect(resolvErr('EISDIR')).toBe('cgo');
    expect(base('hosts: files dns\n', undefined, { env: { LOCALDOMAIN: '' } })).toBe('cgo');
    expect(base('hosts: files dns\n', undefined, { env: { RES_OPTIONS: 'ndots:2' } })).toBe('cgo');
    expect(base('hosts: files dns\n', undefined, { env: { RES_OPTIONS: '' } })).toBe('files,dns');
    expect(base('hosts: files dns\n', undefined, { hostname: 'a%b' })).toBe('cgo');
  });

  it('the runtime’s Go version: resolv.conf options an older Go does not know, and .local names before Go 1.21', () => {
    const stub = 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n'; // systemd-resolved's stub file
    expect(base('hosts: files dns\n', stub, { goVersion: 'go1.18.10' })).toBe('cgo');
    expect(base('hosts: files dns\n', stub, { goVersion: 'go1.19.8' })).toBe('cgo');
    expect(base('hosts: files dns\n', stub, { goVersion: 'go1.20.3' })).toBe('files,dns');
    expect(base('hosts: files dns\n', stub)).toBe('files,dns');
    expect(base('hosts: files dns\n', 'options no-reload\n', { goVersion: 'go1.20' })).toBe('cgo');
    expect(base('hosts: files dns\n', 'options no-reload\n', { goVersion: 'go1.21.0' })).toBe('files,dns');
    expect(base('hosts: files dns\n', undefined, { hostname: 'reg.local', goVersion: 'go1.20.3' })).toBe('cgo');
    expect(base('hosts: files dns\n', undefined, { hostname: 'reg.local', goVersion: 'go1.22.5' })).toBe('files,dns');
  });

  it('GODEBUG netdns: cgo forces libc; go forces Go (an unknown source then counts as dns when none is listed)', () => {
    expect(goDebugNetDNS('http2client=0,netdns=go+1')).toBe('go');
    expect(goDebugNetDNS('netdns=2+cgo')).toBe('cgo');
    expect(goDebugNetDNS('netdns=1')).toBe('');
    expect(base('hosts: files dns\n', undefined, { env: { GODEBUG: 'netdns=cgo' } })).toBe('cgo');
    expect(base('hosts: files resolve\n', undefined, { env: { GODEBUG: 'netdns=go' } })).toBe('files,dns');
    expect(base('hosts: files resolve dns\n', undefined, { env: { GODEBUG: 'netdns=go' } })).toBe('files,dns');
    expect(base('hosts: resolve\n', undefined, { env: { GODEBUG: 'netdns=go', RES_OPTIONS: 'x' } })).toBe('dns');
    expect(base('hosts: files dns\n', 'sortlist 10.0.0.0/8\n', { env: { GODEBUG: 'netdns=go' } })).toBe('files,dns');
  });
});

describe('/etc/hosts as Go reads it', () => {
  const table = parseHostsFile(
    [
      '127.0.0.1\tlocalhost',
      '10.0.0.5 Reg.Corp.Example reg registry.corp.example. # registry',
      '# 10.0.0.9 commented.example',
      '10.0.0.6 reg.corp.example',
      '010.0.0.7 leading-zero.example',
      'not-an-ip bogus.example',
      '10.0.0.8',
      'fe80::1%eth0 linklocal.example',
      '2001:DB8:0:0:0:0:0:1 v6.example reg.corp.example',
      '::ffff:10.1.2.3 mapped.example',
    ].join('\n'),
  );

  it('case-insensitive, several names per line, a trailing dot optional, every line’s address in file order', () => {
    expect(lookupStaticHost(table, 'REG.corp.example')).toEqual(['10.0.0.5', '10.0.0.6', '2001:db8::1']);
    expect(lookupStaticHost(table, 'reg.corp.example.')).toEqual(['10.0.0.5', '10.0.0.6', '2001:db8::1']);
    expect(lookupStaticHost(table, 'reg')).toEqual(['10.0.0.5']);
    expect(lookupStaticHost(table, 'registry.corp.example')).toEqual(['10.0.0.5']);
  });

  it('comments, an address Go rejects (leading zero, a name) and a line without a name are skipped; IPv6 kept with its zone', () => {
    expect(lookupStaticHost(table, 'commented.example')).toEqual([]);
    expect(lookupStaticHost(table, 'leading-zero.example')).toEqual([]);
    expect(lookupStaticHost(table, 'bogus.example')).toEqual([]);
    expect(lookupStaticHost(table, 'linklocal.example')).toEqual(['fe80::1%eth0']);
    expect(lookupStaticHost(table, 'mapped.example')).toEqual(['::ffff:10.1.2.3']);
  });

  it('only the lines that can name a host are parsed, with the same answer as the whole file', () => {
    const text = [
      '10.0.0.5 Reg.Corp.Example reg # registry',
      '10.0.0.7 other.example # mentions reg.corp.example in a comment',
      '10.0.0.6 reg.corp.example.',
      '10.0.0.8 xreg.corp.example',
    ].join('\n');
    const whole = parseHostsFile(text);
    for (const host of ['REG.corp.example', 'reg.corp.example.', 'reg', 'other.example', 'xreg.corp.example', 'absent.example']) {
      const part = parseHostsFile(hostsLinesNaming(text, lowerASCII(text), host));
      expect(lookupStaticHost(part, host), host).toEqual(lookupStaticHost(whole, host));
    }
    expect(hostsLinesNaming(text, lowerASCII(text), 'absent.example')).toBe('');
  });

  it('canonical IP text as Go prints it', () => {
    expect(canonicalIP('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIP('1:0:2:0:3:0:4:0')).toBe('1:0:2:0:3:0:4:0');
    expect(canonicalIP('::FFFF:0A01:0203')).toBe('::ffff:10.1.2.3');
    expect(canonicalIP('::1.2.3.4')).toBe('::102:304');
    expect(canonicalIP('fd00::')).toBe('fd00::');
    expect(canonicalIP('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIP('1.2.3')).toBeUndefined();
  });
});

describe('names queried (nameList) and Go’s isDomainName', () => {
  const conf = { ndots: 1, search: ['corp.example.', 'svc.example.'] };
  it('a short name tries the search list first, a name with enough dots itself first, a rooted name only itself', () => {
    expect(nameList(conf, 'reg')).toEqual(['reg.corp.example.', 'reg.svc.example.', 'reg.']);
    expect(nameList(conf, 'reg.io')).toEqual(['reg.io.', 'reg.io.corp.example.', 'reg.io.svc.example.']);
    expect(nameList({ ...conf, ndots: 5 }, 'reg.corp.io')).toEqual([
      'reg.corp.io.corp.example.',
      'reg.corp.io.svc.example.',
      'reg.corp.io.',
    ]);
    expect(nameList(conf, 'reg.io.')).toEqual(['reg.io.']);
    // .onion itself is never asked (RFC 7686); a search suffix makes it another name, which is
    expect(nameList(conf, 'hidden.onion')).toEqual(['hidden.onion.corp.example.', 'hidden.onion.svc.example.']);
    expect(nameList(conf, 'hidden.onion.')).toEqual([]);
  });

  it('isDomainName', () => {
    for (const ok of ['reg.corp', 'a-b.c', '_svc.x', 'x.', '.']) expect(isDomainName(ok), ok).toBe(true);
    for (const bad of ['', '1.2.3', 'a..b', '-a.b', 'a-.b', 'a b', `${'a'.repeat(64)}.b`, 'ré.example'])
      expect(isDomainName(bad), bad).toBe(false);
  });
});
