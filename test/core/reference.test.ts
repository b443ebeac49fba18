import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, looksLikeRegistry, parseImageReference, parseRegistry, parseTarget } from '../../src/core/reference.js';

const D64 = 'sha256:' + 'a'.repeat(64);

describe('parseImageReference: docker reference grammar and normalisation', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined, 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined, 'docker.io/library/nginx:1.25', 'nginx:1.25'],
    ['library/nginx', 'docker.io', 'library/nginx', 'latest', undefined, 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', undefined, 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', '1', undefined, 'docker.io/library/nginx:1', 'nginx:1'],
    ['myuser/app:v1', 'docker.io', 'myuser/app', 'v1', undefined, 'docker.io/myuser/app:v1', 'myuser/app:v1'],
    [
      'reg.test:5000/team/app:1.2.3',
      'reg.test:5000',
      'team/app',
      '1.2.3',
      undefined,
      'reg.test:5000/team/app:1.2.3',
      'reg.test:5000/team/app:1.2.3',
    ],
    ['localhost/app', 'localhost', 'app', 'latest', undefined, 'localhost/app:latest', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000', 'app', 'latest', undefined, 'localhost:5000/app:latest', 'localhost:5000/app:latest'],
    ['10.0.0.5:5000/ns/app:x', '10.0.0.5:5000', 'ns/app', 'x', undefined, '10.0.0.5:5000/ns/app:x', '10.0.0.5:5000/ns/app:x'],
    ['[fd00::1]:5000/app:1', '[fd00::1]:5000', 'app', '1', undefined, '[fd00::1]:5000/app:1', '[fd00::1]:5000/app:1'],
    [`reg.test/app@${D64}`, 'reg.test', 'app', undefined, D64, `reg.test/app@${D64}`, `reg.test/app@${D64}`],
    [`reg.test/app:1@${D64}`, 'reg.test', 'app', '1', D64, `reg.test/app:1@${D64}`, `reg.test/app:1@${D64}`],
    ['Reg/app', 'Reg', 'app', 'latest', undefined, 'Reg/app:latest', 'Reg/app:latest'],
    [
      'a.b/c__d/e-f.g_h--i:T_1.x-',
      'a.b',
      'c__d/e-f.g_h--i',
      'T_1.x-',
      undefined,
      'a.b/c__d/e-f.g_h--i:T_1.x-',
      'a.b/c__d/e-f.g_h--i:T_1.x-',
    ],
  ])('%s', (input, domain, path, tag, digest, normalized, familiar) => {
    const r = parseImageReference(input);
    expect(r.domain).toBe(domain);
    expect(r.path).toBe(path);
    expect(r.tag).toBe(tag);
    expect(r.digest).toBe(digest);
    expect(r.normalized).toBe(normalized);
    expect(r.familiar).toBe(familiar);
    expect(r.manifestReference).toBe(digest ?? tag);
  });

  it.each([
    ['', /at least one component/],
    ['   ', /at least one component/],
    ['NGINX', /must be lowercase/],
    ['docker.io/Library/nginx', /must be lowercase/],
    ['nginx:', /invalid tag/],
    ['nginx:bad tag', /whitespace/],
    ['nginx:-bad', /invalid tag/],
    [`nginx:${'t'.repeat(129)}`, /invalid tag/],
    ['app@sha256:abc', /invalid digest/],
    ['app@', /invalid digest/],
    ['a//b', /invalid repository path/],
    ['reg.test/-app', /invalid repository path/],
    ['reg.test/app-', /invalid repository path/],
    ['reg.test/app/', /invalid repository path/],
    [':tag', /at least one component/],
    ['reg:port/app', /invalid registry domain/],
    ['reg.test:99999/app', /invalid port/],
    ['[zz::1]:5000/app', /invalid (registry domain|IPv6)/],
    ['https://reg.test/app', /no URL scheme/],
    ['a'.repeat(64).replace(/a/g, 'f'), /64-byte hexadecimal/],
    [`reg.test/${'a'.repeat(250)}`, /more than 255/],
    ['reg.test/app!', /invalid/],
  ])('rejects %j', (input, message) => {
    expect(() => parseImageReference(input)).toThrow(InvalidReferenceError);
    expect(() => parseImageReference(input)).toThrow(message);
  });

  it('keeps the user input for error messages', () => {
    try {
      parseImageReference('NGINX');
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidReferenceError).input).toBe('NGINX');
      expect((e as Error).message).toContain('invalid reference format');
    }
  });
});

describe('registry targets', () => {
  it('maps docker.io to registry-1.docker.io and keeps ports', () => {
    expect(parseTarget('nginx').registry).toMatchObject({ name: 'docker.io', apiHost: 'registry-1.docker.io', apiPort: 443 });
    expect(parseTarget('reg.test:5000/app').registry).toMatchObject({
      name: 'reg.test:5000',
      hostname: 'reg.test',
      port: 5000,
      apiHost: 'reg.test:5000',
      apiPort: 5000,
    });
    expect(parseTarget('[fd00::1]:5000/app').registry).toMatchObject({ hostname: 'fd00::1', apiHost: '[fd00::1]:5000' });
  });

  it.each([
    ['reg.test:5000', true],
    ['reg.test', true],
    ['localhost:5000', true],
    ['10.1.2.3', true],
    ['https://reg.test:5000/', true],
    ['[fd00::1]:5000', true],
    ['nginx', false],
    ['nginx:1.25', false],
    ['ubuntu:22.04', false],
    ['reg.test:5000/app', false],
    [`app@${D64}`, false],
  ])('looksLikeRegistry(%j) = %s', (input, expected) => {
    expect(looksLikeRegistry(input)).toBe(expected);
  });

  it('parses registry URLs and rejects garbage', () => {
    expect(parseRegistry('https://reg.test:5000/v2/').name).toBe('reg.test:5000');
    expect(parseRegistry('index.docker.io').apiHost).toBe('registry-1.docker.io');
    expect(() => parseRegistry('ftp://reg.test')).toThrow(/unsupported scheme/);
    expect(() => parseRegistry('reg.test:0')).toThrow(/invalid port/);
    expect(() => parseRegistry('reg_test')).toThrow(/invalid registry host/);
  });

  it('classifies the diagnose argument', () => {
    expect(parseTarget('reg.test:5000').kind).toBe('registry');
    expect(parseTarget('reg.test:5000/app:1').kind).toBe('image');
    expect(() => parseTarget('Not A Ref')).toThrow(InvalidReferenceError);
  });
});
