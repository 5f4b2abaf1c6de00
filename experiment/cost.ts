/**
 * The cost side of the report: how big each implementation is, measured by reading the repository at
 * report time (never typed in by hand). Lines are counted as code lines (not blank, not only a
 * comment), which is closer to effort than raw line counts; raw totals are kept beside them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AliceError } from '../spec/errors.js';

export class CostError extends AliceError {
  constructor(message: string) {
    super('COST', message);
  }
}

export interface LineCount {
  readonly files: number;
  /** Every line, blank and comment lines included. */
  readonly lines: number;
  /** Lines with code on them: not blank, not inside or only a comment. */
  readonly code: number;
}

export interface RoomSize extends LineCount {
  readonly room: string;
  /** Packages imported from outside the repository (node: built-ins listed as such). */
  readonly externalImports: readonly string[];
}

/** Code lines of one TypeScript source: block comments, line comments and blank lines excluded. */
export function countLines(source: string): { lines: number; code: number } {
  const all = source.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  let code = 0;
  let inBlock = false;
  for (const raw of all) {
    let line = raw.trim();
    let hasCode = false;
    while (line.length > 0) {
      if (inBlock) {
        const end = line.indexOf('*/');
        if (end < 0) {
          line = '';
          break;
        }
        inBlock = false;
        line = line.slice(end + 2).trim();
        continue;
      }
      if (line.startsWith('//')) break;
      if (line.startsWith('/*')) {
        inBlock = true;
        line = line.slice(2);
        continue;
      }
      hasCode = true;
      break;
    }
    if (hasCode) code++;
  }
  return { lines: all.length, code };
}

/** Bare specifiers imported by a source: 'xstate', 'node:fs' (relative imports are the repo's own). */
export function externalImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/')) continue;
    // A scoped package is two path segments (@scope/name); anything below is a subpath of it.
    const parts = spec.split('/');
    out.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...out].sort();
}

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (e.endsWith('.ts') && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Size of one room (a folder of the repository), all .ts files below it. */
export function roomSize(root: string, room: string): RoomSize {
  const files = tsFiles(join(root, room));
  let lines = 0;
  let code = 0;
  const imports = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const c = countLines(text);
    lines += c.lines;
    code += c.code;
    for (const i of externalImports(text)) imports.add(i);
  }
  return { room: relative(root, join(root, room)) || '.', files: files.length, lines, code, externalImports: [...imports].sort() };
}

/** The rooms the report compares, in its table's order. Missing folders report zero files. */
export const COST_ROOMS = ['spec', 'model/majority', 'model/swim', 'impl/majority', 'impl/swim', 'impl/runtime', 'checker', 'conformance', 'experiment', 'cli', 'test'] as const;

export function measureRooms(root: string, rooms: readonly string[] = COST_ROOMS): RoomSize[] {
  try {
    statSync(join(root, 'package.json'));
  } catch {
    throw new CostError(`${root} has no package.json: pass the repository root to measure implementation size`);
  }
  return rooms.map((r) => roomSize(root, r));
}

/**
 * Config knobs of a protocol: the fields of its defaults object. Counted from the live defaults so a
 * knob added later is counted without editing the report.
 */
export function configKnobs(defaults: object): string[] {
  return Object.keys(defaults).sort();
}

/**
 * Knobs declared by the `export interface <Name>Config { ... }` blocks of a source: the top-level
 * `readonly field:` lines. Read from the text, so a protocol whose code is not importable yet (or
 * is mid-rewrite) is still counted, and the experiment need not import every protocol's internals.
 */
export function configFieldsInSource(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/export\s+interface\s+\w*Config\s*\{/g)) {
    // Walk the block line by line, tracking brace depth: only fields at depth 1 are the config's own
    // (a nested object type's fields are not separate knobs).
    let depth = 1;
    let lineDepth = 1;
    let line = '';
    for (let i = (m.index ?? 0) + m[0].length; i < source.length && depth > 0; i++) {
      const ch = source[i];
      if (ch === '\n') {
        const field = /^\s*readonly\s+(\w+)\??\s*:/.exec(line);
        if (field && lineDepth === 1) out.push(field[1]);
        line = '';
        lineDepth = depth;
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      line += ch;
    }
  }
  return [...new Set(out)].sort();
}

export interface ProtocolCost {
  readonly protocol: string;
  /** Code lines of its implementation (impl/<protocol>) and of its model (model/<protocol>). */
  readonly implCode: number;
  readonly modelCode: number;
  readonly implFiles: number;
  /** Packages its implementation imports (node: built-ins included). */
  readonly dependencies: readonly string[];
  /** Config knobs: fields of the protocol's `*Config` interfaces in spec/<protocol>.ts and impl/<protocol>/. */
  readonly configKnobs: readonly string[];
}

export interface CostReport {
  readonly rooms: readonly RoomSize[];
  readonly protocols: readonly ProtocolCost[];
  /** Runtime dependencies of the whole package (package.json "dependencies"). */
  readonly packageDependencies: readonly string[];
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function measureCost(root: string, protocols: readonly string[] = ['majority', 'swim']): CostReport {
  const rooms = measureRooms(root);
  let pkg: { dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof pkg;
  } catch (e) {
    throw new CostError(`cannot read ${join(root, 'package.json')}: ${(e as Error).message}`);
  }
  return {
    rooms,
    packageDependencies: Object.keys(pkg.dependencies ?? {}).sort(),
    protocols: protocols.map((protocol) => {
      const impl = roomSize(root, `impl/${protocol}`);
      const model = roomSize(root, `model/${protocol}`);
      const sources = [readIfExists(join(root, 'spec', `${protocol}.ts`)), ...tsFiles(join(root, 'impl', protocol)).map((f) => readFileSync(f, 'utf8'))];
      const knobs = [...new Set(sources.flatMap(configFieldsInSource))].sort();
      return { protocol, implCode: impl.code, modelCode: model.code, implFiles: impl.files, dependencies: impl.externalImports, configKnobs: knobs };
    }),
  };
}
