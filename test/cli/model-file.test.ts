/**
 * `alice check --model <file>` (cli/model-file.ts): what the loader accepts, and each way a model
 * file can be wrong, as a typed error naming the problem. In-process: the CLI's exit codes are
 * asserted in test/examples/request-ack.test.ts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelFileError, loadModelFile, protocolProblem } from '../../cli/model-file.js';
import { check } from '../../checker/index.js';
import requestAck from '../../examples/request-ack/model.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join('test/fixtures/models', name);

async function loadError(path: string): Promise<ModelFileError> {
  try {
    await loadModelFile(path, ROOT);
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw e;
  }
  throw new Error(`${path} loaded`);
}

describe('loading a model file', () => {
  it('takes the default export of a .ts file and names the file as the user gave it', async () => {
    const m = await loadModelFile('examples/request-ack/model.ts', ROOT);
    expect({ name: m.protocol.name, file: m.file, exportName: m.exportName }).toEqual({ name: 'request-ack', file: 'examples/request-ack/model.ts', exportName: 'default' });
  });

  it('takes a named `protocol` export of a plain .mjs file, and checks it', async () => {
    const m = await loadModelFile(fixture('plain.mjs'), ROOT);
    expect(m.exportName).toBe('protocol');
    const r = check(m.protocol, { faults: [] });
    expect(r.verdicts.map((v) => [v.property, v.status])).toEqual([['atMostThree', 'holds']]);
    expect(r.stats.distinct).toBe(4);
  });

  it('says a missing file is missing, with the path it resolved', async () => {
    const e = await loadError(fixture('nope.ts'));
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toMatch(/model file test\/fixtures\/models\/nope\.ts not found \(resolved to \/.*nope\.ts\)/);
  });

  it('refuses a file that is not .ts/.mts/.js/.mjs', async () => {
    expect((await loadError('package.json')).code).toBe('MODEL_EXTENSION');
  });

  it('says what to add when nothing is exported under default or protocol, listing what is', async () => {
    const e = await loadError(fixture('no-export.ts'));
    expect(e.code).toBe('MODEL_NO_EXPORT');
    expect(e.message).toMatch(/add `export default` \(or `export const protocol =`\); it exports helper/);
  });

  it("names the missing field of an export that is not a ProtocolDefinition", async () => {
    const e = await loadError(fixture('missing-step.ts'));
    expect(e.code).toBe('MODEL_INVALID');
    expect(e.message).toMatch(/export 'default' is not a ProtocolDefinition: missing field 'behaviour\.step' \(a function\)/);
  });

  it("shows the model's own error when the file throws on load", async () => {
    const e = await loadError(fixture('throws.ts'));
    expect(e.code).toBe('MODEL_LOAD');
    expect(e.message).toMatch(/failed to load: my model is broken on purpose/);
  });
});

describe('protocolProblem', () => {
  it('accepts the example', () => {
    expect(protocolProblem(requestAck)).toBeNull();
  });

  it.each([
    [42, 'expected an object, got number'],
    [{ ...requestAck, name: undefined }, "missing field 'name' (a non-empty string)"],
    [{ ...requestAck, cluster: 3 }, "field 'cluster' should be a function (n, options) => NodeSetup[] (standardCluster makes one), got number"],
    [{ ...requestAck, properties: [{ ...requestAck.properties[0], temporal: 'never' }] }, "field 'properties[0] (appliedOnce).temporal' should be 'always', 'sometimes' or 'eventually', got string"],
    [{ ...requestAck, properties: [requestAck.properties[0], requestAck.properties[0]] }, "properties[1] (appliedOnce): the name 'appliedOnce' is used twice"],
    [{ ...requestAck, faults: { kinds: ['meteor'], budget: 1 } }, "field 'faults.kinds' names an unknown fault 'meteor'"],
    [{ ...requestAck, nodes: 0 }, "field 'nodes' should be a whole number ≥ 1"],
    [{ ...requestAck, describe: 'the state' }, "field 'describe' should be a function, got string"],
  ])('names what is wrong (%#)', (x, problem) => {
    expect(protocolProblem(x)).toContain(problem);
  });
});
