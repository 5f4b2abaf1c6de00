/**
 * The implementation side of a conformance run, behind an asynchronous handle: one handle holds one
 * node. An in-process core answers at once; a node process (conformance/stdio/exec-node.ts) answers
 * over a pipe, so every call returns a promise and the harness awaits each step.
 */
import type { Choice, Input, NodeBehaviour, NodeSetup, Output } from '../spec/step.js';
import type { View } from '../spec/view.js';

export interface NodeReply<M> {
  readonly outputs: readonly Output<M>[];
  /** The open choice the node resolved on this step, if it had one. */
  readonly choice?: Choice;
  /** The View after the step, when the node sends it along (saves a round trip). */
  readonly view?: View;
}

export interface NodeUnderTest<M> {
  /** Where the node runs, for reports: "in-process majority", "exec: ./inferno-node". */
  readonly label: string;
  /** Start (or start over: any earlier state is discarded) from `setup`. */
  init(setup: NodeSetup<unknown>): Promise<NodeReply<M>>;
  step(input: Input<M>): Promise<NodeReply<M>>;
  view(): Promise<View>;
}

/** Hands out nodes and takes them back; a pool may reuse a process for the next trace (init resets it). */
export interface NodeSource<M> {
  readonly label: string;
  acquire(): Promise<NodeUnderTest<M>>;
  release(node: NodeUnderTest<M>): void;
  /** Ends every process this source started. */
  close(): Promise<void>;
}

class InProcessNode<S, M> implements NodeUnderTest<M> {
  private state: S | undefined;
  constructor(
    private readonly behaviour: NodeBehaviour<S, M, unknown>,
    readonly label: string,
  ) {}

  private reply(r: { state: S; outputs: readonly Output<M>[]; choice?: Choice }): NodeReply<M> {
    this.state = r.state;
    return r.choice ? { outputs: r.outputs, choice: r.choice, view: this.behaviour.view(r.state) } : { outputs: r.outputs, view: this.behaviour.view(r.state) };
  }

  async init(setup: NodeSetup<unknown>): Promise<NodeReply<M>> {
    return this.reply(this.behaviour.init(setup));
  }

  async step(input: Input<M>): Promise<NodeReply<M>> {
    if (this.state === undefined) throw new Error('step before init');
    return this.reply(this.behaviour.step(this.state, input));
  }

  async view(): Promise<View> {
    if (this.state === undefined) throw new Error('view before init');
    return this.behaviour.view(this.state);
  }
}

/** Nodes that run a NodeBehaviour in this process: nothing to pool, nothing to close. */
export function inProcessSource<S, M>(behaviour: NodeBehaviour<S, M, unknown>): NodeSource<M> {
  const label = `in-process ${behaviour.protocol}`;
  return {
    label,
    acquire: async () => new InProcessNode(behaviour, label),
    release: () => {},
    close: async () => {},
  };
}
