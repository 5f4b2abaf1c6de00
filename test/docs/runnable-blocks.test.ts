/**
 * The shell blocks the documentation marks runnable (a fence opened with ```sh runnable, or bash /
 * shell) in README.md and docs/*.md run as written, from the repository root, and exit 0 within
 * their timeout: a page whose command broke fails here. Only quick commands are marked; every other
 * block stays documentation and is not run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Per block: a marked block takes a few seconds on an idle machine; the margin is for a loaded one. */
const BLOCK_TIMEOUT_MS = 60_000;

interface Block {
  readonly line: number;
  readonly script: string;
}

/** The runnable blocks of one Markdown text, each with the line of its opening fence (1-based). */
function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S+)?(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === fence);
    const stop = end < 0 ? lines.length : end;
    const marked = ['sh', 'bash', 'shell'].includes(open[2] ?? '') && open[3].split(/\s+/).includes('runnable');
    if (marked) blocks.push({ line: i + 1, script: lines.slice(i + 1, stop).join('\n') });
    i = stop;
  }
  return blocks;
}

interface BlockRun {
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly output: string;
}

function run(script: string, timeoutMs = BLOCK_TIMEOUT_MS): BlockRun {
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    // npx must never fetch a package from the registry for a documented command: only local bins run.
    env: { ...process.env, npm_config_yes: 'false', FORCE_COLOR: '0' },
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { status: r.status, timedOut, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4_000) };
}

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f))];
const documented = pages.flatMap((page) => runnableBlocks(readFileSync(join(ROOT, page), 'utf8')).map((b) => ({ page, ...b })));

describe('finding runnable blocks', () => {
  it('takes a block whose fence says sh runnable, with the line of its fence', () => {
    expect(runnableBlocks('text\n```sh runnable\necho hi\necho there\n```\n')).toEqual([{ line: 2, script: 'echo hi\necho there' }]);
  });

  it('leaves unmarked shell blocks and blocks of other languages alone', () => {
    expect(runnableBlocks('```sh\nrm -rf out\n```\n```ts runnable\nconst x = 1;\n```\n')).toEqual([]);
  });

  it('does not read a marked fence inside another block as a block of its own', () => {
    expect(runnableBlocks('````md\n```sh runnable\nfalse\n```\n````\n')).toEqual([]);
  });
});

describe('running a block', () => {
  it('reports a block that exits non-zero as failed', () => {
    expect(run('true\nexit 3').status).toBe(3);
  });

  it('stops a command at the first failing line', () => {
    expect(run('false\ntrue').status).not.toBe(0);
  });

  it('reports a block that outlives its timeout as timed out', () => {
    expect(run('sleep 5', 200).timedOut).toBe(true);
  });
});

describe('the runnable blocks of README.md and docs/*.md', () => {
  it('include at least one block of the README', () => {
    expect(documented.filter((b) => b.page === 'README.md').length).toBeGreaterThan(0);
  });

  for (const block of documented) {
    it(`${block.page}:${block.line} exits 0`, () => {
      const r = run(block.script);
      expect({ timedOut: r.timedOut, status: r.status, output: r.status === 0 ? '' : r.output }).toEqual({ timedOut: false, status: 0, output: '' });
    }, BLOCK_TIMEOUT_MS + 10_000);
  }
});
