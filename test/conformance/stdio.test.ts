/**
 * The stdio step protocol (spec/stdio-protocol.md), both ends: the node side answers every request
 * or a clear error, and the harness runs the conformance suites against TypeScript implementations
 * running as separate node processes, one per node.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkTrace } from '../../conformance/lockstep.js';
import { PROFILES, scaledProfile } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { execSource } from '../../conformance/stdio/exec-node.js';
import { StdioNode } from '../../conformance/stdio/server.js';
import { runSuites } from '../../conformance/suites.js';
import { toyImpl, toyModel, toyProtocol } from '../../conformance/toy/index.js';

const server = (name: string) => `"${process.execPath}" --import tsx conformance/stdio-server.ts ${name}`;

// Each node is a subprocess here, so a tenth of the CI budget.
const SMALL = scaledProfile(PROFILES.ci, 0.1);

const setup = toyProtocol.cluster(2, { now: 0 })[0];
const answer = (node: StdioNode<unknown, unknown>, req: unknown) => JSON.parse(node.handle(typeof req === 'string' ? req : JSON.stringify(req)));

describe('the node side of the stdio protocol', () => {
  const fresh = () => new StdioNode(toyImpl() as never);

  it('says which protocol and version it speaks', () => {
    expect(answer(fresh(), { id: 1, op: 'hello' })).toEqual({ id: 1, ok: true, protocol: 'toy', stdio: 1 });
  });

  it('answers init and step with the outputs, the choice and, on request, the View', () => {
    const node = fresh();
    const init = answer(node, { id: 1, op: 'init', setup });
    expect(init.outputs).toEqual(toyImpl().init(setup).outputs);
    const step = answer(node, { id: 2, op: 'step', input: { type: 'timer', timer: 'tick', now: 5 }, view: true });
    expect(step).toMatchObject({ id: 2, ok: true, choice: ['n2'], view: { self: 'n1' } });
    expect(answer(node, { id: 3, op: 'view' }).view).toEqual(step.view);
  });

  it.each([
    ['a line that is not JSON', 'nonsense{', 'BAD_JSON', null],
    ['a request without a numeric id', { op: 'hello' }, 'BAD_REQUEST', null],
    ['an unknown op', { id: 4, op: 'frobnicate' }, 'UNKNOWN_OP', 4],
    ['a step before init', { id: 5, op: 'step', input: { type: 'crash', now: 0 } }, 'NOT_INITIALISED', 5],
    ['a step without an input', { id: 6, op: 'step' }, 'BAD_REQUEST', 6],
    ['an init whose setup has no id', { id: 7, op: 'init', setup: { ...setup, id: 3 } }, 'BAD_REQUEST', 7],
  ])('refuses %s with %s and keeps serving', (_what, req, code, id) => {
    const node = fresh();
    const r = answer(node, req);
    expect(r).toMatchObject({ id, ok: false, error: { code } });
    expect(r.error.message.length).toBeGreaterThan(10);
    expect(answer(node, { id: 9, op: 'hello' }).ok).toBe(true);
  });

  it('names the offending field of a bad input', () => {
    const node = fresh();
    answer(node, { id: 1, op: 'init', setup });
    const r = answer(node, { id: 2, op: 'step', input: { type: 'teleport', now: 1 } });
    expect(r.error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(r.error.message).toContain("'input.type'");
  });

  it('reports a node that fails on an input as STEP_FAILED', () => {
    const node = new StdioNode({ ...toyImpl(), step: () => { throw new Error('kaput'); } } as never);
    answer(node, { id: 1, op: 'init', setup });
    expect(answer(node, { id: 2, op: 'step', input: { type: 'crash', now: 1 } }).error).toMatchObject({ code: 'STEP_FAILED', message: expect.stringContaining('kaput') });
  });
});

describe('node processes through the exec adapter', () => {
  const sources: { close(): Promise<void> }[] = [];
  const source = (command: string, protocol?: string) => {
    const s = execSource(command, { protocol, timeoutMs: 20_000 });
    sources.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.close()));
  });

  it('runs every suite against the majority implementation as a subprocess, and it refines the model', async () => {
    const run = await runSuites(pair('majority'), source(server('majority'), 'majority'), SMALL, 5);
    expect(run.suites.map((s) => s.divergence?.detail ?? null)).toEqual([null, null, null, null]);
    expect(run.implementation).toContain('exec:');
  });

  it('catches a broken implementation running as a subprocess, and shrinks the divergence', async () => {
    const run = await runSuites(pair('toy-wrong-seq'), source(server('toy-wrong-seq'), 'toy'), SMALL, 5);
    const walk = run.suites.find((s) => s.suite === 'model→impl: random walks');
    expect(walk?.divergence?.kind).toBe('outputs');
    expect(walk?.divergence?.prefix.length).toBe(1);
  });

  it('refuses a process that speaks another protocol before any test runs', async () => {
    await expect(checkTrace(toyModel as never, source(server('majority'), 'toy'), { setup, inputs: [] })).rejects.toThrow(
      /says it runs protocol "majority", but toy is being checked/,
    );
  }, 30_000);

  it('refuses a command that cannot start, quoting its stderr', async () => {
    const s = source(`"${process.execPath}" -e "console.error('no such binary: inferno-node'); process.exit(127)"`);
    await expect(checkTrace(toyModel as never, s, { setup, inputs: [] })).rejects.toThrow(/exited with status 127[\s\S]*no such binary: inferno-node/);
  });

  it('reports a process that dies mid-trace as an implementation failure, quoting its stderr', async () => {
    const script = [
      "const rl = require('readline').createInterface({ input: process.stdin });",
      "rl.on('line', (l) => { const r = JSON.parse(l);",
      "  if (r.op === 'hello') console.log(JSON.stringify({ id: r.id, ok: true, protocol: 'toy', stdio: 1 }));",
      "  else { console.error('segfault in probe loop'); process.exit(3); } });",
    ].join(' ');
    const s = source(`"${process.execPath}" -e "${script.replace(/"/g, '\\"')}"`);
    const d = await checkTrace(toyModel as never, s, { setup, inputs: [] });
    expect(d?.kind).toBe('impl-error');
    expect(d?.detail).toContain('exited with status 3');
    expect(d?.detail).toContain('segfault in probe loop');
  });
});
