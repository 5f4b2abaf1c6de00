/**
 * `alice check --model ./my-model.ts`: loads a user's ProtocolDefinition from a file, so the checker
 * is not only for the protocols the CLI names. The file exports the definition as its default export
 * or as `protocol`. `.ts` files load through tsx (which bin/alice.js and `npx tsx` register in a
 * checkout; the installed package, which runs compiled JavaScript, registers it here, if it is
 * installed, only when a .ts model asks for it), `.js` and `.mjs` as plain ESM. What comes out is checked field by field before the checker sees it: a mistake
 * in a user's file must read as that mistake, not as a TypeError deep inside the explorer.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runsFromSource, tsxApiUrl } from '../checker/module-url.js';
import { AliceError } from '../spec/errors.js';
import { FAULT_KINDS, type ProtocolDefinition } from '../spec/protocol.js';

type AnyProtocol = ProtocolDefinition<unknown, unknown, unknown>;

export type ModelFileProblem = 'MODEL_NOT_FOUND' | 'MODEL_EXTENSION' | 'MODEL_LOAD' | 'MODEL_NO_EXPORT' | 'MODEL_INVALID' | 'MODEL_NEEDS_TSX';

/** A model file that cannot be checked; `code` says which way, the message what to change. */
export class ModelFileError extends AliceError {
  constructor(
    code: ModelFileProblem,
    readonly file: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The extensions a model file may have: TypeScript through tsx, JavaScript as is. */
export const MODEL_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** The export names looked for, in order. */
export const MODEL_EXPORTS = ['default', 'protocol'] as const;

export interface LoadedModel {
  readonly protocol: AnyProtocol;
  /** The file as the user named it (relative to the working directory), for the verdict header. */
  readonly file: string;
  /** file: URL of the module, which worker threads import themselves. */
  readonly url: string;
  /** The export the definition came from. */
  readonly exportName: (typeof MODEL_EXPORTS)[number];
}

export async function loadModelFile(path: string, cwd = process.cwd()): Promise<LoadedModel> {
  const abs = resolve(cwd, path);
  const shown = relative(cwd, abs) || path;
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new ModelFileError('MODEL_NOT_FOUND', shown, `model file ${shown} not found (resolved to ${abs}); pass the path of a .ts or .js file that exports a ProtocolDefinition`);
  }
  if (!(MODEL_EXTENSIONS as readonly string[]).includes(extname(abs))) {
    throw new ModelFileError('MODEL_EXTENSION', shown, `model file ${shown}: expected one of ${MODEL_EXTENSIONS.join(', ')}, got '${extname(abs) || 'no extension'}'`);
  }
  const url = pathToFileURL(abs).href;
  if (runsFromSource(url) && !runsFromSource(import.meta.url)) await registerTsx(shown, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    // The user's own code (or an import of it) threw: show their error, not ours.
    const why = e instanceof Error ? e.message : String(e);
    throw new ModelFileError('MODEL_LOAD', shown, `model file ${shown} failed to load: ${why}`);
  }
  const exportName = MODEL_EXPORTS.find((n) => mod[n] !== undefined);
  if (exportName === undefined) {
    const found = Object.keys(mod);
    throw new ModelFileError(
      'MODEL_NO_EXPORT',
      shown,
      `model file ${shown} exports no ProtocolDefinition: add \`export default\` (or \`export const protocol =\`); it exports ${found.length > 0 ? found.join(', ') : 'nothing'}`,
    );
  }
  const problem = protocolProblem(mod[exportName]);
  if (problem !== null) {
    throw new ModelFileError('MODEL_INVALID', shown, `model file ${shown}: export '${exportName}' is not a ProtocolDefinition: ${problem} (see spec/protocol.ts)`);
  }
  return { protocol: mod[exportName] as AnyProtocol, file: shown, url, exportName };
}

let tsxRegistered = false;

/** Lets the compiled CLI import a .ts model: through tsx when it can be found, else a clear refusal. */
async function registerTsx(shown: string, cwd: string): Promise<void> {
  if (tsxRegistered) return;
  const api = tsxApiUrl(import.meta.url, cwd);
  if (api === null) {
    throw new ModelFileError('MODEL_NEEDS_TSX', shown, `model file ${shown} is TypeScript, which this installed alice (compiled JavaScript) loads through tsx, and tsx is not installed: npm install --save-dev tsx, or write the model as .mjs`);
  }
  const { register } = (await import(api)) as { register: () => unknown };
  register();
  tsxRegistered = true;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The first way `x` falls short of a ProtocolDefinition, naming the field ("missing field
 * 'behaviour.step' (a function)"), or null when it has every required field with the right kind of value.
 */
export function protocolProblem(x: unknown): string | null {
  if (!isObject(x)) return `expected an object, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`;
  const field = (path: string, want: string, got: unknown) =>
    got === undefined ? `missing field '${path}' (${want})` : `field '${path}' should be ${want}, got ${Array.isArray(got) ? 'an array' : typeof got}`;
  if (typeof x.name !== 'string' || x.name === '') return field('name', 'a non-empty string', x.name);
  if (!isObject(x.behaviour)) return field('behaviour', 'a NodeBehaviour object (machineBehaviour(...) makes one)', x.behaviour);
  const b = x.behaviour;
  if (typeof b.protocol !== 'string') return field('behaviour.protocol', 'a string', b.protocol);
  for (const fn of ['init', 'step', 'view', 'encode'] as const) if (typeof b[fn] !== 'function') return field(`behaviour.${fn}`, 'a function', b[fn]);
  for (const fn of ['choices', 'decode'] as const) if (b[fn] !== undefined && typeof b[fn] !== 'function') return field(`behaviour.${fn}`, 'a function', b[fn]);
  if (!Array.isArray(x.properties)) return field('properties', 'an array of Property', x.properties);
  const names = new Set<string>();
  for (const [i, p] of (x.properties as unknown[]).entries()) {
    if (!isObject(p)) return field(`properties[${i}]`, 'a Property object', p);
    if (typeof p.name !== 'string' || p.name === '') return field(`properties[${i}].name`, 'a non-empty string', p.name);
    const at = `properties[${i}] (${p.name})`;
    if (names.has(p.name)) return `${at}: the name '${p.name}' is used twice; verdicts are reported by name`;
    names.add(p.name);
    if (!['always', 'sometimes', 'eventually'].includes(p.temporal as string)) return field(`${at}.temporal`, "'always', 'sometimes' or 'eventually'", p.temporal);
    if (typeof p.check !== 'function') return field(`${at}.check`, 'a function', p.check);
    if (!isObject(p.assumptions)) return field(`${at}.assumptions`, 'an Assumptions object', p.assumptions);
    if (!isObject(p.assumptions.tolerates)) return field(`${at}.assumptions.tolerates`, 'an object { loss, partitions, crashes }', p.assumptions.tolerates);
  }
  if (typeof x.cluster !== 'function') return field('cluster', 'a function (n, options) => NodeSetup[] (standardCluster makes one)', x.cluster);
  if (x.nodes !== undefined && !(Number.isInteger(x.nodes) && (x.nodes as number) >= 1)) return `field 'nodes' should be a whole number ≥ 1, got ${String(x.nodes)}`;
  for (const fn of ['updates', 'isFinal', 'describe', 'describeMessage'] as const) if (x[fn] !== undefined && typeof x[fn] !== 'function') return field(fn, 'a function', x[fn]);
  if (x.symmetry !== undefined) {
    if (!isObject(x.symmetry)) return field('symmetry', 'an object { rename, renameMessage }', x.symmetry);
    for (const fn of ['rename', 'renameMessage'] as const) if (typeof x.symmetry[fn] !== 'function') return field(`symmetry.${fn}`, 'a function', x.symmetry[fn]);
  }
  if (x.independence !== undefined) {
    if (!isObject(x.independence)) return field('independence', 'an object { sendsTo }', x.independence);
    if (typeof x.independence.sendsTo !== 'function') return field('independence.sendsTo', 'a function (id) => the ids it may send to', x.independence.sendsTo);
  }
  if (x.faults !== undefined) {
    if (!isObject(x.faults)) return field('faults', 'an object { kinds, budget }', x.faults);
    if (!Array.isArray(x.faults.kinds)) return field('faults.kinds', `an array of ${FAULT_KINDS.join(', ')}`, x.faults.kinds);
    const unknown = (x.faults.kinds as unknown[]).find((k) => !(FAULT_KINDS as readonly unknown[]).includes(k));
    if (unknown !== undefined) return `field 'faults.kinds' names an unknown fault '${String(unknown)}'; known: ${FAULT_KINDS.join(', ')}`;
    if (typeof x.faults.budget !== 'number') return field('faults.budget', 'a whole number', x.faults.budget);
  }
  return null;
}
