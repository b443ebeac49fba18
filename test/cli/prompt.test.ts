// The fix commands' terminal questions: only an explicit yes is a yes (askYesNo, over a real readline), and trust on
// first use shows what the registry presented before it asks (confirmPresented, as fix and fix --harden use it).
import { describe, expect, it } from 'vitest';
import { askYesNo, confirmPresented } from '../../src/cli/prompt.js';
import { memoryIO } from '../helpers/io.js';

describe('askYesNo', () => {
  it.each([
    ['y\n', true],
    ['YES\n', true],
    ['  yes  \n', true],
    ['\n', false],
    ['n\n', false],
    ['yess\n', false],
    ['ja\n', false],
  ])('%j → %s', async (answer, yes) => {
    const io = memoryIO({ input: answer });
    expect(await askYesNo(io, 'Apply? [y/N] ')).toBe(yes);
    expect(io.out()).toContain('Apply? [y/N] ');
  });
});

describe('confirmPresented', () => {
  it('prints the intro and the certificate lines, then asks the fingerprint question; the answer decides', async () => {
    for (const answer of [true, false]) {
      const io = memoryIO();
      const printed: string[] = [];
      const asked: string[] = [];
      const ok = await confirmPresented(
        io,
        (s = '') => printed.push(s),
        'Stage 1 trusts it:',
        ['SHA-256 AB:CD', 'subject CN=x'],
        async (_io, q) => {
          asked.push(q);
          return answer;
        },
      );
      expect(ok).toBe(answer);
      expect(printed).toEqual(['\nStage 1 trusts it:', '  SHA-256 AB:CD', '  subject CN=x']);
      expect(asked).toEqual(['Compare the fingerprint with one obtained out of band. Trust this certificate? [y/N] ']);
    }
  });
});
