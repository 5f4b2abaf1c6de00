/**
 * The node side of the stdio step protocol (spec/stdio-protocol.md): wraps one NodeBehaviour as a
 * node process. Line in, line out; a bad request gets an error response and the node keeps serving.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Input, NodeBehaviour, NodeSetup, StepResult } from '../../spec/step.js';

export const STDIO_VERSION = 1;

type Reply = Record<string, unknown>;

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function needObject(req: Record<string, unknown>, field: string): Record<string, unknown> {
  const v = req[field];
  if (!isObject(v)) throw new RequestError('BAD_REQUEST', `field '${field}' must be a JSON object, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  return v;
}

function checkSetup(setup: Record<string, unknown>): NodeSetup<unknown> {
  if (typeof setup.id !== 'string') throw new RequestError('BAD_REQUEST', "field 'setup.id' must be a string");
  if (!isObject(setup.info)) throw new RequestError('BAD_REQUEST', "field 'setup.info' must be a NodeInfo object");
  if (!Array.isArray(setup.seeds)) throw new RequestError('BAD_REQUEST', "field 'setup.seeds' must be a list of node ids");
  if (typeof setup.now !== 'number') throw new RequestError('BAD_REQUEST', "field 'setup.now' must be a number of milliseconds");
  if (typeof setup.rngSeed !== 'number') throw new RequestError('BAD_REQUEST', "field 'setup.rngSeed' must be a number");
  return setup as unknown as NodeSetup<unknown>;
}

const INPUT_TYPES = ['receive', 'timer', 'command', 'crash', 'restart'];

function checkInput(input: Record<string, unknown>): Input<unknown> {
  if (typeof input.type !== 'string' || !INPUT_TYPES.includes(input.type)) {
    throw new RequestError('BAD_REQUEST', `field 'input.type' must be one of ${INPUT_TYPES.join(', ')}, got ${JSON.stringify(input.type)}`);
  }
  if (typeof input.now !== 'number') throw new RequestError('BAD_REQUEST', "field 'input.now' must be a number of milliseconds");
  if (input.type === 'receive' && (typeof input.from !== 'string' || input.message === undefined)) {
    throw new RequestError('BAD_REQUEST', "a receive input needs 'from' (a node id) and 'message'");
  }
  if (input.type === 'timer' && typeof input.timer !== 'string') throw new RequestError('BAD_REQUEST', "field 'input.timer' must be a timer name");
  if (input.type === 'command' && !isObject(input.command)) throw new RequestError('BAD_REQUEST', "field 'input.command' must be a Command object");
  return input as unknown as Input<unknown>;
}

/** One node's request handler, independent of streams (the tests drive it directly too). */
export class StdioNode<S, M> {
  private state: S | undefined;
  closed = false;

  constructor(private readonly behaviour: NodeBehaviour<S, M, unknown>) {}

  private result(r: StepResult<S, M>, withView: boolean): Reply {
    this.state = r.state;
    const reply: Reply = { ok: true, outputs: r.outputs };
    if (r.choice) reply.choice = r.choice;
    if (withView) reply.view = this.behaviour.view(r.state);
    return reply;
  }

  private run(code: string, body: () => StepResult<S, M>, withView: boolean): Reply {
    let r: StepResult<S, M>;
    try {
      r = body();
    } catch (e) {
      throw new RequestError(code, `the node failed: ${(e as Error).message}`);
    }
    return this.result(r, withView);
  }

  /** Answers one request line with one response line (without the trailing newline). */
  handle(line: string): string {
    let id: unknown = null;
    try {
      let req: unknown;
      try {
        req = JSON.parse(line);
      } catch (e) {
        throw new RequestError('BAD_JSON', `the request is not JSON (${(e as Error).message}); send one JSON object per line`);
      }
      if (!isObject(req)) throw new RequestError('BAD_JSON', 'the request must be a JSON object with "id" and "op"');
      id = req.id ?? null;
      if (typeof req.id !== 'number') throw new RequestError('BAD_REQUEST', "field 'id' must be a number the response can echo");
      const withView = req.view === true;
      let reply: Reply;
      switch (req.op) {
        case 'hello':
          reply = { ok: true, protocol: this.behaviour.protocol, stdio: STDIO_VERSION };
          break;
        case 'init': {
          const setup = checkSetup(needObject(req, 'setup'));
          reply = this.run('STEP_FAILED', () => this.behaviour.init(setup as NodeSetup<never>), withView);
          break;
        }
        case 'step': {
          const input = checkInput(needObject(req, 'input'));
          const state = this.state;
          if (state === undefined) throw new RequestError('NOT_INITIALISED', "send 'init' with a setup before 'step'");
          reply = this.run('STEP_FAILED', () => this.behaviour.step(state, input as Input<M>), withView);
          break;
        }
        case 'view': {
          if (this.state === undefined) throw new RequestError('NOT_INITIALISED', "send 'init' with a setup before 'view'");
          reply = { ok: true, view: this.behaviour.view(this.state) };
          break;
        }
        case 'shutdown':
          this.closed = true;
          reply = { ok: true };
          break;
        default:
          throw new RequestError('UNKNOWN_OP', `unknown op ${JSON.stringify(req.op)}: use hello, init, step, view or shutdown`);
      }
      return JSON.stringify({ id, ...reply });
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      return JSON.stringify({ id, ok: false, error: { code: e.code, message: e.message } });
    }
  }
}

/** Serves requests from `input` until it ends or a shutdown request arrives; resolves when done. */
export function serveStdio<S, M>(behaviour: NodeBehaviour<S, M, unknown>, input: Readable, output: Writable): Promise<void> {
  const node = new StdioNode(behaviour);
  const lines = createInterface({ input, crlfDelay: Infinity });
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      output.write(`${node.handle(line)}\n`);
      if (node.closed) lines.close();
    });
    lines.on('close', () => resolve());
  });
}
