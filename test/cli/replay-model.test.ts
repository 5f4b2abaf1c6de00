/**
 * `alice replay --model <file>`: a trace written by `alice check --model <file> --out` replays on the
 * same file (exit 0); without --model the command says which flag it needs (exit 2); on another
 * model file it names the mismatch (exit 2). Through bin/alice.js in child processes, as a user runs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { alice } from './run-alice.js';


describe('alice replay of a trace from alice check --model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alice-replay-model-'));
  const trace = join(dir, 'trace.json');
  let runs: Promise<Awaited<ReturnType<typeof alice>>[]>;

  beforeAll(async () => {
    const checked = await alice('check', '--model', 'examples/request-ack/no-dedup.ts', '--quiet', '--out', trace);
    if (checked.code !== 1) throw new Error(`alice check exited ${checked.code}: ${checked.err}`);
    runs = Promise.all([
      alice('replay', '--model', 'examples/request-ack/no-dedup.ts', trace),
      alice('replay', trace),
      alice('replay', '--model', 'examples/request-ack/model.ts', trace),
    ]);
    await runs;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduces the violation on the model file it was checked with: exit 0', async () => {
    const [r] = await runs;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/reproduced: appliedOnce violated at the last step: applied 2 times/);
  });

  it('without --model, says the trace needs the model file it came from: exit 2', async () => {
    const r = (await runs)[1];
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the trace is of protocol 'request-ack-no-dedup', which is not one alice knows by name .*alice replay --model <file> <trace>/);
  });

  it('on another model file, names the protocol mismatch: exit 2', async () => {
    const r = (await runs)[2];
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the trace is of protocol 'request-ack-no-dedup', not 'request-ack'/);
  });
});
