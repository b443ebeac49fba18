import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { causesDoc, withTable } from '../../scripts/gen-docs.js';
import { ROOT } from '../helpers/cli.js';
import { VERSION } from '../../src/core/version.js';

describe('documentation stays in step with the code', () => {
  it('README cause table and docs/causes.md match src/core/causes.ts (run `npm run docs`)', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    expect(withTable(readme)).toBe(readme);
    expect(readFileSync(`${ROOT}docs/causes.md`, 'utf8')).toBe(causesDoc());
  });

  it('VERSION matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });
});
