import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CostError, configFieldsInSource, configKnobs, countLines, externalImports, measureCost, measureRooms, roomSize } from '../../experiment/cost.js';
import { MAJORITY_DEFAULTS } from '../../spec/majority.js';
import { tempDir } from '../fixtures/temp-dir.js';

describe('countLines', () => {
  it('counts code lines, leaving out blank lines, line comments and block comments', () => {
    const src = ['/**', ' * doc', ' */', 'const a = 1; // why', '', '// only a comment', 'const b = /* inline */ 2;', '/* one */ const c = 3;', ''].join('\n');
    expect(countLines(src)).toEqual({ lines: 8, code: 3 });
  });

  it('keeps counting after a block comment that ends mid-line', () => {
    expect(countLines('/* a\nb */ let x = 1;\nlet y = 2;').code).toBe(2);
  });
});

describe('externalImports', () => {
  it('lists packages and node built-ins, not relative imports, and reduces subpaths to the package', () => {
    const src = "import { a } from './a.js';\nimport { setup } from 'xstate';\nimport type { T } from '@types/node/fs';\nexport { b } from 'immer';\nimport { readFileSync } from 'node:fs';";
    expect(externalImports(src)).toEqual(['@types/node', 'immer', 'node:fs', 'xstate']);
  });
});

describe('measureRooms', () => {
  it('sums every .ts file below a room and reports a missing room as empty', () => {
    const root = tempDir('alice-cost-');
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'impl', 'x', 'deep'), { recursive: true });
    writeFileSync(join(root, 'impl', 'x', 'a.ts'), "import { z } from 'commander';\nconst a = 1;\n");
    writeFileSync(join(root, 'impl', 'x', 'deep', 'b.ts'), '// c\nconst b = 2;\n');
    writeFileSync(join(root, 'impl', 'x', 'notes.md'), 'not code\n');
    const [x, missing] = measureRooms(root, ['impl/x', 'impl/none']);
    expect(x).toEqual({ room: 'impl/x', files: 2, lines: 4, code: 3, externalImports: ['commander'] });
    expect(missing.files).toBe(0);
  });

  it('refuses a folder that is not a repository root, saying what to pass', () => {
    expect(() => measureRooms(tmpdir() + '/no-such-alice-dir')).toThrow(CostError);
  });

  it('measures this repository: the majority implementation has code', () => {
    expect(roomSize(process.cwd(), 'impl/majority').code).toBeGreaterThan(100);
  });
});

describe('configKnobs', () => {
  it('lists the fields of a defaults object', () => {
    expect(configKnobs(MAJORITY_DEFAULTS)).toContain('healthTimeoutMs');
    expect(configKnobs(MAJORITY_DEFAULTS)).toHaveLength(Object.keys(MAJORITY_DEFAULTS).length);
  });
});

describe('configFieldsInSource', () => {
  it('lists the top-level fields of exported *Config interfaces, not nested ones or other interfaces', () => {
    const src = [
      'export interface SwimConfig {',
      '  /** doc */',
      '  readonly probeIntervalMs: number;',
      '  readonly presets?: {',
      '    readonly inner: number;',
      '  };',
      '  readonly suspicionMult: number;',
      '}',
      'export interface Other {',
      '  readonly notAKnob: number;',
      '}',
    ].join('\n');
    expect(configFieldsInSource(src)).toEqual(['presets', 'probeIntervalMs', 'suspicionMult']);
  });

  it('finds every knob of the majority config in spec/majority.ts', () => {
    const text = readFileSync(join(process.cwd(), 'spec', 'majority.ts'), 'utf8');
    expect(configFieldsInSource(text)).toEqual(configKnobs(MAJORITY_DEFAULTS));
  });
});

describe('measureCost', () => {
  it('reports each protocol with its implementation lines, imports and knobs, and the package dependencies', () => {
    const cost = measureCost(process.cwd(), ['majority', 'nonexistent']);
    const [majority, none] = cost.protocols;
    expect(majority.implCode).toBeGreaterThan(100);
    expect(majority.configKnobs).toEqual(configKnobs(MAJORITY_DEFAULTS));
    expect(none).toMatchObject({ implCode: 0, implFiles: 0, configKnobs: [] });
    expect(cost.packageDependencies).toContain('xstate');
    expect(cost.rooms.map((r) => r.room)).toContain('impl/majority');
  });
});
