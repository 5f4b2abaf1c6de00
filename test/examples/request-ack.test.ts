/**
 * examples/request-ack through the `alice` command as a user runs it (bin/alice.js in a child
 * process): the correct model holds (exit 0), the variant without deduplication is refuted (exit 1),
 * a depth bound makes the verdict incomplete (exit 3), a bad model file is bad input (exit 2).
 * The four processes run at once: each pays tsx's start-up, about 2 s.
 */
import { describe, expect, it } from 'vitest';

import { alice } from '../cli/run-alice.js';


describe('alice check --model examples/request-ack', () => {
  const runs = Promise.all([
    alice('check', '--model', 'examples/request-ack/model.ts', '--quiet'),
    alice('check', '--model', 'examples/request-ack/no-dedup.ts', '--quiet'),
    alice('check', '--model', 'examples/request-ack/model.ts', '--max-depth', '4', '--json'),
    alice('check', '--model', 'test/fixtures/models/missing-step.ts'),
    alice('check', '--model', 'examples/request-ack/model.ts', '--faults', 'loss', '--quiet'),
    alice('check', '--model', 'examples/request-ack/model.ts', '--faults', 'loss', '--no-deadlock', '--quiet'),
  ]);

  it('holds on the model: exit 0, the header names the model file', async () => {
    const [r] = await runs;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^alice check --model examples\/request-ack\/model\.ts \(request-ack\): 2 nodes, bfs/);
    expect(r.out).toMatch(/COMPLETE/);
    expect(r.out).toMatch(/appliedOnce\s+holds \(state space exhausted\)/);
    expect(r.out).toMatch(/allApplied\s+holds \(state space exhausted\)/);
    expect(r.out).toMatch(/clientDone\s+reached/);
  });

  it('refutes appliedOnce on the variant without deduplication: exit 1, with the shortest trace', async () => {
    const r = (await runs)[1];
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--model examples\/request-ack\/no-dedup\.ts \(request-ack-no-dedup\)/);
    expect(r.out).toMatch(/appliedOnce\s+VIOLATED in 3 transitions/);
    expect(r.out).toMatch(/applied 2 times, only 1 requests issued/);
    expect(r.out).toMatch(/timer retry fires/);
  });

  it('is incomplete under a depth bound: exit 3, and --json names the model', async () => {
    const r = (await runs)[2];
    expect(r.code).toBe(3);
    const json = JSON.parse(r.out);
    expect(json.model).toBe('examples/request-ack/model.ts');
    expect(json.complete).toBe(false);
    expect(json.boundsHit.map((b: { bound: string }) => b.bound)).toEqual(['depth']);
  });

  it('exits 2 on a file that is not a ProtocolDefinition, naming the missing field', async () => {
    const r = (await runs)[3];
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing field 'behaviour\.step'/);
  });

  it('reports a deadlock under loss (exit 1), and not with --no-deadlock (exit 0: the loss violation is expected)', async () => {
    const [, , , , lossy, off] = await runs;
    expect(lossy.code).toBe(1);
    expect(lossy.out).toMatch(/deadlocks checked/);
    expect(lossy.out).toMatch(/deadlock\s+VIOLATED in 4 transitions/);
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/deadlocks not checked/);
    expect(off.out).not.toMatch(/deadlock\s+VIOLATED/);
    expect(off.out).toMatch(/allApplied\s+violated in 4 transitions — expected: needs no message loss/);
  });
});
