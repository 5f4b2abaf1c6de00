/**
 * From a trace file to an ExplorerSession: read and decode the ITF JSON, find its model (a built-in
 * protocol by the trace's name, or a model file: the one given with --model, else the one the trace
 * records), and re-execute the trace on it. Each way this can fail is an AliceError naming the
 * problem (the CLI exits 2): a missing file, malformed JSON, an unknown protocol, a trace the model
 * does not allow.
 */
import { readFileSync } from 'node:fs';
import { fromItf, type Trace } from '../../checker/index.js';
import { AliceError } from '../../spec/errors.js';
import { loadModelFile } from '../model-file.js';
import { MODEL_PROTOCOLS, modelProtocol } from '../protocols.js';
import { ExplorerSession, type SessionOptions } from './session.js';

export interface OpenedTrace {
  readonly session: ExplorerSession;
  /** What the model came from, for the start-up line: the protocol's name, or the model file. */
  readonly source: string;
}

export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AliceError('USAGE', code === 'ENOENT' ? `trace file ${file} not found` : `cannot read trace file ${file}: ${(e as Error).message}`);
  }
  return fromItf(text);
}

/** The session for `trace`; `modelFile` (--model) wins over the file the trace records. */
export async function openTrace(trace: Trace, modelFile?: string, cwd = process.cwd(), options: SessionOptions = {}): Promise<OpenedTrace> {
  const file = modelFile ?? trace.model;
  if (file !== undefined) {
    const model = await loadModelFile(file, cwd);
    return { session: new ExplorerSession(model.protocol, trace, options), source: `--model ${model.file}` };
  }
  if (!(trace.protocol in MODEL_PROTOCOLS)) {
    throw new AliceError(
      'USAGE',
      `the trace is of protocol '${trace.protocol}', which is not built in (${Object.keys(MODEL_PROTOCOLS).join(', ')}) and the trace names no model file: pass --model <file> with the model it was checked on`,
    );
  }
  return { session: new ExplorerSession(modelProtocol(trace.protocol), trace, options), source: trace.protocol };
}
