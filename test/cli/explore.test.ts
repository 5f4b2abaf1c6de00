/**
 * `alice explore` as a user runs it (bin/alice.js in a child process): it serves a trace written by
 * `alice check --out` on 127.0.0.1, prints the URL, stops on Ctrl-C with exit 0; every kind of bad
 * input exits 2 with a message naming it. `alice check --explore` serves the check's own
 * counterexample and keeps the check's exit code. The processes start at once (tsx costs ~2 s each).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BIN, ROOT, alice } from './run-alice.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

interface Done {
  code: number | null;
  out: string;
  err: string;
}


/** Starts a long-running alice; resolves with the URL it prints, and a way to stop it with SIGINT. */
function serving(...args: string[]): Promise<{ url: string; out: () => string; stop: () => Promise<Done> }> {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<Done>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 60 s: ${out} ${err}`));
    }, 60_000);
    child.stdout!.on('data', () => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        out: () => out,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
    void exited.then((d) => {
      clearTimeout(timer);
      reject(new Error(`exited ${d.code} before serving: ${d.out} ${d.err}`));
    });
  });
}

const dir = suiteTempDir('alice-explore-');
const tracePath = join(dir, 'no-dedup.json');
let busyPort = 0;
const busy = createServer();

beforeAll(async () => {
  const r = await alice('check', '--model', 'examples/request-ack/no-dedup.ts', '--quiet', '--out', tracePath);
  expect(r.code).toBe(1);
  const text = readFileSync(tracePath, 'utf8');
  const json = JSON.parse(text);
  writeFileSync(join(dir, 'bad.json'), '{"#meta": ');
  writeFileSync(join(dir, 'unknown.json'), JSON.stringify({ ...json, '#meta': { ...json['#meta'], protocol: 'no-such-protocol', model: undefined } }));
  json.states[2].action = 'timer nothing fires';
  writeFileSync(join(dir, 'misfit.json'), JSON.stringify(json));
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
}, 90_000);

afterAll(() => busy.close());

describe.concurrent('alice explore', () => {
  it('serves the trace on 127.0.0.1, prints the URL, and exits 0 on Ctrl-C', async () => {
    const s = await serving('explore', tracePath);
    const trace = (await (await fetch(`${s.url}api/trace`)).json()) as { property: string; model: string };
    expect(trace.property).toBe('appliedOnce');
    // The trace recorded the model file it was checked on; explore found it there.
    expect(trace.model).toBe('examples/request-ack/no-dedup.ts');
    const page = await fetch(s.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const done = await s.stop();
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/appliedOnce \(always\) in --model examples\/request-ack\/no-dedup\.ts, 3 transitions/);
  });

  it('exits 2 on a missing trace file', async () => {
    const r = await alice('explore', join(dir, 'absent.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/trace file .*absent\.json not found/);
  });

  it('exits 2 on a file that is not JSON', async () => {
    const r = await alice('explore', join(dir, 'bad.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid trace: malformed JSON/);
  });

  it('exits 2 on a trace of a protocol that is not built in and names no model file', async () => {
    const r = await alice('explore', join(dir, 'unknown.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/protocol 'no-such-protocol', which is not built in .* pass --model <file>/);
  });

  it('exits 2 on a trace the model does not allow, naming the step', async () => {
    const r = await alice('explore', join(dir, 'misfit.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/trace does not match the model at step 2/);
  });

  it('exits 2 when --model names another model than the trace was made on', async () => {
    const r = await alice('explore', tracePath, '--model', 'examples/request-ack/model.ts');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the trace is of protocol 'request-ack-no-dedup', not 'request-ack'/);
  });

  it('exits 2 when the port is in use', async () => {
    const r = await alice('explore', tracePath, '--port', String(busyPort));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is in use`));
  });

  it('exits 2 on a port that is not a number', async () => {
    const r = await alice('explore', tracePath, '--port', 'http');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port takes a port number/);
  });

  it('exits 2 on a trace longer than --max-opened, naming the cap', async () => {
    const r = await alice('explore', tracePath, '--max-opened', '2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the explorer holds 2 states, its cap/);
  });

  it('exits 2 on a --max-opened that is not a whole number ≥ 1', async () => {
    const r = await alice('explore', tracePath, '--max-opened', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-opened takes a whole number ≥ 1, got '0'/);
  });
});

describe('alice check --explore', () => {
  it("serves the check's counterexample, and keeps the check's exit code (1: violated)", async () => {
    const s = await serving('check', '--model', 'examples/request-ack/no-dedup.ts', '--quiet', '--explore');
    const state = (await (await fetch(`${s.url}api/state/0`)).json()) as { properties: { name: string; failed: boolean }[] };
    expect(state.properties[0]).toMatchObject({ name: 'appliedOnce', failed: true });
    const done = await s.stop();
    expect(done.code).toBe(1);
    expect(done.out).toMatch(/appliedOnce\s+VIOLATED in 3 transitions/);
  });

  it('says there is nothing to explore when no property failed', async () => {
    const r = await alice('check', '--model', 'examples/request-ack/model.ts', '--quiet', '--explore');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--explore: no counterexample to explore/);
  });
});
