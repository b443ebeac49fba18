// Regenerates certs.pem, the certificate seeds of test/fuzz/x509.test.ts (kept as a file so every fuzz input is
// reproducible from the seed and iteration alone; generated keys and signatures are random).
//   npx tsx test/fuzz/seeds/generate-certs.ts
import { writeFileSync } from 'node:fs';
import { createCA, issueCert, selfSigned } from '../../../src/x509/build.js';

const from = new Date('2025-01-01T00:00:00Z');
const to = new Date('2035-01-01T00:00:00Z');
const root = createCA({ cn: 'Fuzz Root', o: 'regdoctor', notBefore: from, notAfter: to });
const rsa = createCA({ cn: 'Fuzz RSA Root', keyType: 'rsa', rsaBits: 1024, pathLen: 1, notBefore: from, notAfter: to });
const inter = issueCert(root, { cn: 'Fuzz Intermediate', isCA: true, pathLen: 0, hash: 'sha384', notBefore: from, notAfter: to });
const leaf = issueCert(inter, {
  cn: 'reg.test',
  dns: ['reg.test', '*.reg.test'],
  ips: ['10.0.0.5', 'fd00::1'],
  eku: ['serverAuth', 'clientAuth'],
  issuerUrl: 'http://ca.test/i.crt',
  ocspUrl: 'http://ocsp.test',
  notBefore: from,
  notAfter: to,
});
const old = selfSigned({
  cn: 'old.test',
  omitSan: true,
  hash: 'sha1',
  notBefore: new Date('1999-01-01T00:00:00Z'),
  notAfter: new Date('2070-01-01T00:00:00Z'),
});
const rsaLeaf = issueCert(rsa, { cn: 'rsa.test', keyType: 'rsa', rsaBits: 1024, keyUsage: null, eku: null, notBefore: from, notAfter: to });
writeFileSync(new URL('certs.pem', import.meta.url), [root, rsa, inter, leaf, old, rsaLeaf].map((c) => c.certPem).join(''));
