/**
 * The rooms' import rules (docs/architecture.md), read from the sources: no import circle anywhere,
 * and spec/ imports nothing outside spec/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ROOMS = ['spec', 'model', 'impl', 'checker', 'conformance', 'mutations', 'experiment', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Each file's relative imports (type-only ones included: a circle of types is still a circle). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const room of ROOMS) {
    for (const file of sources(join(ROOT, room))) {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
      g.set(file, targets);
    }
  }
  return g;
}

function findCycle(g: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 2) return null;
    if (state.get(f) === 1) return [...path.slice(path.indexOf(f)), f];
    state.set(f, 1);
    path.push(f);
    for (const t of g.get(f) ?? []) {
      const c = visit(t);
      if (c) return c;
    }
    path.pop();
    state.set(f, 2);
    return null;
  };
  for (const f of g.keys()) {
    const c = visit(f);
    if (c) return c;
  }
  return null;
}

describe('import rules', () => {
  const g = graph();

  it('no module imports itself through others', () => {
    expect(findCycle(g)?.map((f) => relative(ROOT, f)) ?? null).toBeNull();
  });

  it('finds a circle when there is one (the check is not vacuous)', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('spec imports nothing outside spec', () => {
    const out = [...g].flatMap(([f, ts]) => (relative(ROOT, f).startsWith('spec/') ? ts.filter((t) => !relative(ROOT, t).startsWith('spec/')).map((t) => `${relative(ROOT, f)} → ${relative(ROOT, t)}`) : []));
    expect(out).toEqual([]);
  });
});
