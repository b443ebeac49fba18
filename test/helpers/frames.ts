// Frames of the Ink view from real diagnoses: demoDiagnoses() starts the demo registries (src/demo/scenarios.ts) once
// for the calling test file, diagnoses every scenario against them and closes them after; frameOf() renders one
// element at a width as plain text, trailing blanks trimmed.
import { afterAll, beforeAll } from 'vitest';
import type React from 'react';
import { renderToString } from 'ink';
import { startDemoLab, type DemoLab } from '../../src/demo/scenarios.js';
import { diagnose, DEFAULT_RUN_OPTIONS, type DiagnosisResult } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { stripAnsi } from '../../src/ui/format.js';

/**
 * Registers beforeAll/afterAll in the calling file; the map (scenario id → its diagnosis) is filled before the
 * first test runs.
 */
export function demoDiagnoses(): Map<string, DiagnosisResult> {
  const results = new Map<string, DiagnosisResult>();
  let lab: DemoLab | undefined;
  beforeAll(async () => {
    lab = await startDemoLab();
    for (const s of lab.scenarios) {
      results.set(
        s.id,
        await diagnose({
          target: parseTarget(s.image),
          options: { ...DEFAULT_RUN_OPTIONS, root: lab.root, pull: false, goVersion: 'go1.22.5' },
          adapters: createRealAdapters({ root: lab.root, hosts: lab.hosts, env: {} }),
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });
  return results;
}

/** What Ink draws for `el` at `columns`, without colour and without blanks at the ends of lines. */
export const frameOf = (el: React.ReactElement, columns: number): string =>
  stripAnsi(renderToString(el, { columns }))
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
