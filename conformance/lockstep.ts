/**
 * The refinement check: the implementation and the model take the same inputs from corresponding
 * states, and every implementation step must be a step the model allows, with identical outputs (the
 * same outputs in the same order: both sides emit in the order the prose spec gives, so order is part
 * of the contract) and an identical View afterwards. Where the model leaves a choice open, the
 * implementation's choice must be one the model enables, and the model is fed that choice.
 */
import { canonicalJson } from '../spec/canonical.js';
import type { Choice, Input, NodeBehaviour, NodeSetup, Output } from '../spec/step.js';
import type { View } from '../spec/view.js';
import type { NodeReply, NodeSource, NodeUnderTest } from './node-under-test.js';

/** One node's life in a test: where it starts and every input it receives. */
export interface NodeTrace<M> {
  readonly setup: NodeSetup<unknown>;
  readonly inputs: readonly Input<M>[];
  /** Where the trace came from ("bfs path 12, node n2"), for reports. */
  readonly origin?: string;
}

export type DivergenceKind = 'outputs' | 'view' | 'choice' | 'impl-error' | 'model-error';

/** What the model allows on the diverging step: one entry per enabled choice (one entry when none is open). */
export interface AllowedStep<M> {
  readonly choice?: Choice;
  readonly outputs: readonly Output<M>[];
}

export interface Divergence<M> {
  readonly kind: DivergenceKind;
  readonly setup: NodeSetup<unknown>;
  /** Inputs up to and including the diverging one; empty when init itself diverged. */
  readonly prefix: readonly Input<M>[];
  /** 0 for init, i for the i-th input (1-based). */
  readonly step: number;
  readonly allowed: readonly AllowedStep<M>[];
  readonly actual: AllowedStep<M> | null;
  readonly modelView: View | null;
  readonly implView: View | null;
  readonly detail: string;
  readonly origin?: string;
  /** Length of the trace before shrinking, when it was shrunk. */
  readonly shrunkFrom?: number;
}

/** Called after every model step the harness takes: how transition coverage is recorded. */
export interface ModelObserver {
  init?(setup: NodeSetup<unknown>, state: unknown): void;
  step?(before: unknown, input: Input<unknown>, after: unknown): void;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** A divergence, thrown inside the harness and caught at its boundary: never escapes as an exception. */
class Diverged<M> extends Error {
  constructor(readonly divergence: Divergence<M>) {
    super(divergence.detail);
  }
}

function withoutChoice<M>(input: Input<M>): Input<M> {
  if (input.choice === undefined) return input;
  const { choice: _omit, ...rest } = input;
  return rest as Input<M>;
}

function firstDifference<M>(model: readonly Output<M>[], impl: readonly Output<M>[]): string {
  const n = Math.max(model.length, impl.length);
  for (let i = 0; i < n; i++) {
    if (!same(model[i], impl[i])) {
      if (model[i] === undefined) return `impl emits an extra output #${i + 1}`;
      if (impl[i] === undefined) return `impl omits output #${i + 1}`;
      return `output #${i + 1} differs`;
    }
  }
  return 'outputs differ';
}

/**
 * A model and a node under test stepped together. Each call checks one step and throws a divergence
 * (caught by checkTrace) at the first disagreement.
 */
export class LockstepNode<S, M> {
  private modelState: S | undefined;
  private setup: NodeSetup<unknown> | undefined;
  private readonly inputs: Input<M>[] = [];

  constructor(
    private readonly model: NodeBehaviour<S, M, unknown>,
    private readonly impl: NodeUnderTest<M>,
    private readonly observer?: ModelObserver,
    private readonly origin?: string,
  ) {}

  private fail(kind: DivergenceKind, detail: string, rest: Partial<Divergence<M>> = {}): never {
    throw new Diverged<M>({
      kind,
      setup: this.setup as NodeSetup<unknown>,
      prefix: [...this.inputs],
      step: this.inputs.length,
      allowed: [],
      actual: null,
      modelView: this.modelState === undefined ? null : this.model.view(this.modelState),
      implView: null,
      detail,
      origin: this.origin,
      ...rest,
    });
  }

  private async implCall(what: string, call: () => Promise<NodeReply<M>>): Promise<NodeReply<M>> {
    try {
      return await call();
    } catch (e) {
      return this.fail('impl-error', `implementation failed on ${what}: ${(e as Error).message}`);
    }
  }

  private modelCall<T>(what: string, call: () => T): T {
    try {
      return call();
    } catch (e) {
      return this.fail('model-error', `model failed on ${what}: ${(e as Error).message}`);
    }
  }

  private async compare(modelOutputs: readonly Output<M>[], reply: NodeReply<M>, allowed: () => AllowedStep<M>[]): Promise<void> {
    const actual: AllowedStep<M> = reply.choice ? { choice: reply.choice, outputs: reply.outputs } : { outputs: reply.outputs };
    if (!same(modelOutputs, reply.outputs)) {
      this.fail('outputs', firstDifference(modelOutputs, reply.outputs), { allowed: allowed(), actual, implView: reply.view ?? (await this.safeImplView()) });
    }
    const modelView = this.model.view(this.modelState as S);
    const implView = reply.view ?? (await this.safeImplView());
    if (!same(modelView, implView)) this.fail('view', 'outputs agree but the Views after the step differ', { allowed: allowed(), actual, modelView, implView });
  }

  private async safeImplView(): Promise<View | null> {
    try {
      return await this.impl.view();
    } catch {
      return null;
    }
  }

  async init(setup: NodeSetup<unknown>): Promise<readonly Output<M>[]> {
    this.setup = setup;
    const reply = await this.implCall('init', () => this.impl.init(setup));
    const m = this.modelCall('init', () => this.model.init(setup));
    this.modelState = m.state;
    this.observer?.init?.(setup, m.state);
    await this.compare(m.outputs, reply, () => [{ outputs: m.outputs }]);
    return reply.outputs;
  }

  async step(input: Input<M>): Promise<readonly Output<M>[]> {
    if (this.modelState === undefined) throw new Error('LockstepNode.step before init');
    const before = this.modelState;
    this.inputs.push(input);
    const reply = await this.implCall(`input #${this.inputs.length} (${input.type})`, () => this.impl.step(input));
    const open = this.modelCall('choices', () => this.model.choices?.(before, withoutChoice(input)));
    let modelInput = input;
    if (open && open.length > 0) {
      // A step that resolved no choice still refines the model if one enabled choice gives exactly its outputs and View.
      const chosen = reply.choice ?? input.choice ?? (await this.matchingChoice(before, input, open, reply));
      const allowedAll = (): AllowedStep<M>[] => open.map((c) => ({ choice: c, outputs: this.model.step(before, { ...input, choice: c }).outputs }));
      const actual = { choice: chosen, outputs: reply.outputs };
      if (!chosen || !open.some((c) => same(c, chosen))) {
        const implView = reply.view ?? (await this.safeImplView());
        const detail = chosen
          ? `the implementation chose [${chosen.join(', ')}], which the model does not enable`
          : `the model leaves ${open.length} choices open here; the implementation reported none, and no enabled choice gives its outputs and View`;
        this.fail('choice', detail, { allowed: allowedAll(), actual, implView });
      }
      modelInput = { ...input, choice: chosen as Choice };
    }
    // An implementation may report a choice the model treats as determined; its outputs must still match.
    const m = this.modelCall(`input #${this.inputs.length} (${input.type})`, () => this.model.step(before, modelInput));
    this.modelState = m.state;
    this.observer?.step?.(before, modelInput as Input<unknown>, m.state);
    const allowed = (): AllowedStep<M>[] =>
      open && open.length > 0 ? open.map((c) => ({ choice: c, outputs: this.model.step(before, { ...input, choice: c }).outputs })) : [{ outputs: m.outputs }];
    await this.compare(m.outputs, reply, allowed);
    return reply.outputs;
  }

  private async matchingChoice(before: S, input: Input<M>, open: readonly Choice[], reply: NodeReply<M>): Promise<Choice | undefined> {
    const implView = reply.view ?? (await this.safeImplView());
    return open.find((c) => {
      const r = this.model.step(before, { ...input, choice: c });
      return same(r.outputs, reply.outputs) && same(this.model.view(r.state), implView);
    });
  }

  get view(): View {
    return this.model.view(this.modelState as S);
  }

  get history(): readonly Input<M>[] {
    return this.inputs;
  }
}

/** Runs `body`, turning a divergence thrown by any LockstepNode into a returned value. */
export async function catchDivergence<M, T>(body: () => Promise<T>): Promise<{ divergence: Divergence<M> } | { value: T }> {
  try {
    return { value: await body() };
  } catch (e) {
    if (e instanceof Diverged) return { divergence: e.divergence as Divergence<M> };
    throw e;
  }
}

/** Replays one node trace in lockstep; null when the implementation refines the model on it. */
export async function checkTrace<S, M>(
  model: NodeBehaviour<S, M, unknown>,
  source: NodeSource<M>,
  trace: NodeTrace<M>,
  observer?: ModelObserver,
): Promise<Divergence<M> | null> {
  const impl = await source.acquire();
  try {
    const node = new LockstepNode(model, impl, observer, trace.origin);
    const r = await catchDivergence<M, void>(async () => {
      await node.init(trace.setup);
      for (const input of trace.inputs) await node.step(input);
    });
    return 'divergence' in r ? r.divergence : null;
  } finally {
    source.release(impl);
  }
}
