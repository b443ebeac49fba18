// registries.yaml edits keep every other line (comments, order, quoting) and re-parse to exactly the intended change.
import { describe, expect, it } from 'vitest';
import { editYaml, YamlEditError } from '../../src/fix/yaml-edit.js';
import { parseRegistriesYaml } from '../../src/runtime/k3s.js';

const BASE = [
  '# registries for the edge site',
  'mirrors:',
  '  docker.io:',
  '    endpoint:',
  '      - "https://mirror.example.com:5000" # primary',
  '',
  'configs:',
  '  "mirror.example.com:5000":',
  '    auth:',
  '      username: edge # the robot account',
  '      password: s3cret',
  '',
].join('\n');

describe('editYaml', () => {
  it('adds a tls mapping under an existing host, keeping comments and the rest byte for byte', () => {
    const out = editYaml(BASE, { path: ['configs', 'mirror.example.com:5000', 'tls'], set: { ca_file: '/etc/rancher/k3s/ca.pem' } });
    expect(out).toBe(
      BASE.replace('      password: s3cret\n', '      password: s3cret\n    tls:\n      ca_file: "/etc/rancher/k3s/ca.pem"\n'),
    );
    expect(parseRegistriesYaml(out).configs['mirror.example.com:5000']!.tls?.caFile).toBe('/etc/rancher/k3s/ca.pem');
  });

  it('creates configs and the host when missing (quoted host:port key)', () => {
    const text = 'mirrors:\n  docker.io:\n    endpoint:\n      - "https://m.example.com"\n';
    const out = editYaml(text, { path: ['configs', 'reg.example.com:5000', 'tls'], set: { ca_file: '/x/ca.pem' } });
    expect(out).toBe(`${text}configs:\n  "reg.example.com:5000":\n    tls:\n      ca_file: "/x/ca.pem"\n`);
  });

  it('replaces a value in place and keeps its trailing comment; removes a key and only it', () => {
    const text = 'configs:\n  reg:5000:\n    tls:\n      insecure_skip_verify: true # TODO remove\n      ca_file: /old.pem\n';
    const out = editYaml(text, { path: ['configs', 'reg:5000', 'tls'], set: { ca_file: '/new.pem' }, remove: ['insecure_skip_verify'] });
    expect(out).toBe('configs:\n  reg:5000:\n    tls:\n      ca_file: "/new.pem"\n');
    const kept = editYaml(text, { path: ['configs', 'reg:5000', 'tls'], set: { ca_file: '/new.pem' } });
    expect(kept).toBe('configs:\n  reg:5000:\n    tls:\n      insecure_skip_verify: true # TODO remove\n      ca_file: "/new.pem"\n');
  });

  it('keeps CRLF line endings and a four-space indent step', () => {
    const text = 'configs:\r\n    a.example.com:\r\n        auth:\r\n            username: u\r\n';
    const out = editYaml(text, { path: ['configs', 'a.example.com', 'tls'], set: { insecure_skip_verify: true } });
    expect(out).toBe(`${text}        tls:\r\n            insecure_skip_verify: true\r\n`);
  });

  it('an empty flow mapping becomes a block; an empty file gets the path', () => {
    expect(editYaml('configs: {}\n', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } })).toBe(
      'configs:\n  h:\n    tls:\n      ca_file: "/c"\n',
    );
    expect(editYaml('', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } })).toBe('configs:\n  h:\n    tls:\n      ca_file: "/c"\n');
  });

  it('refuses what it cannot edit safely', () => {
    expect(() => editYaml('configs:\n  h: [a]\n', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } })).toThrow(YamlEditError);
    expect(() => editYaml('configs: &c\n  h:\n    tls: {}\n', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } })).toThrow(
      /anchors/,
    );
    expect(() => editYaml('configs:\n  h:\n\tbad: 1\n', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } })).toThrow(
      /does not parse/,
    );
    expect(() =>
      editYaml('configs:\n  h:\n    tls:\n      ca_file:\n        nested: x\n', { path: ['configs', 'h', 'tls'], set: { ca_file: '/c' } }),
    ).toThrow(/not a scalar/);
  });
});
