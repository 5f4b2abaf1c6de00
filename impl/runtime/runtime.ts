/**
 * The production runtime: drives ANY NodeBehaviour (SWIM, majority, a user's) with real timers and a
 * real transport. It is the only place where the pure core meets effects: it reads the injected clock
 * once per input, applies `send`, `setTimer` and `cancelTimer` outputs, and hands `notify` outputs to
 * the application. Inputs are processed one at a time through a mailbox, so a transport that
 * delivers synchronously (an in-memory test transport) cannot re-enter the step function.
 */
import type { NodeId } from '../../spec/node.js';
import type { Command, Input, NodeBehaviour, NodeSetup, Notification, Output } from '../../spec/step.js';
import type { View } from '../../spec/view.js';
import { AliceError } from '../../spec/errors.js';
import type { Clock, Scheduler, TimerHandle, Transport } from './types.js';
import { systemClock, systemScheduler } from './types.js';

export class RuntimeError extends AliceError {
  constructor(message: string) {
    super('RUNTIME', message);
  }
}

export interface RuntimeOptions<S, M> {
  readonly transport: Transport<M>;
  /** Default: the wall clock. Tests inject a fake one. */
  readonly clock?: Clock;
  /** Default: Node's setTimeout/clearTimeout. Tests inject a fake one. */
  readonly scheduler?: Scheduler;
  /** Every `notify` output, in order. */
  readonly onNotify?: (event: Notification) => void;
  /** After every step, with the input and its outputs (tracing, metrics); `input` is undefined for init. */
  readonly onStep?: (input: Input<M> | undefined, outputs: readonly Output<M>[], state: S) => void;
  /** A step that threw: the input is discarded and the state kept. Default: rethrown asynchronously. */
  readonly onError?: (error: unknown, input: Input<M>) => void;
}

type Pending<M> = { readonly kind: 'input'; readonly make: (now: number) => Input<M> };

export class NodeRuntime<S, M, Cfg> {
  private current: S | undefined;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly mailbox: Pending<M>[] = [];
  private draining = false;
  private running = false;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;

  constructor(
    private readonly behaviour: NodeBehaviour<S, M, Cfg>,
    private readonly setup: Omit<NodeSetup<Cfg>, 'now'>,
    private readonly options: RuntimeOptions<S, M>,
  ) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  get id(): NodeId {
    return this.setup.id;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The core's current state. Throws before start(). */
  get state(): S {
    if (this.current === undefined) throw new RuntimeError(`node ${this.setup.id} has not started; call start() first`);
    return this.current;
  }

  view(): View {
    return this.behaviour.view(this.state);
  }

  /** Opens the transport, then initialises the core and applies its first outputs. */
  async start(): Promise<void> {
    if (this.running) throw new RuntimeError(`node ${this.setup.id} is already running`);
    await this.options.transport.start((from, message) => this.enqueue((now) => ({ type: 'receive', from, message, now })));
    this.running = true;
    const r = this.behaviour.init({ ...this.setup, now: this.clock.now() });
    this.current = r.state;
    this.apply(undefined, r.outputs);
  }

  /** Feeds an operator command (join, leave, update, vitals). */
  command(command: Command): void {
    this.enqueue((now) => ({ type: 'command', command, now }));
  }

  /** Feeds any local input; `now` is filled from the clock when it is processed. */
  input(make: (now: number) => Input<M>): void {
    this.enqueue(make);
  }

  /**
   * Stops driving the core: every timer is cancelled, later deliveries are ignored and the transport
   * is closed. The state stays readable. A graceful leave is a `leave` command before this.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const h of this.timers.values()) this.scheduler.clear(h);
    this.timers.clear();
    this.mailbox.length = 0;
    await this.options.transport.close();
  }

  private enqueue(make: (now: number) => Input<M>): void {
    if (!this.running) return;
    this.mailbox.push({ kind: 'input', make });
    if (this.draining) return;
    this.draining = true;
    try {
      // Bounded by what the mailbox holds; each step may enqueue more only through the transport.
      while (this.mailbox.length > 0 && this.running) {
        const next = this.mailbox.shift() as Pending<M>;
        this.stepOnce(next.make(this.clock.now()));
      }
    } finally {
      this.draining = false;
    }
  }

  private stepOnce(input: Input<M>): void {
    let result;
    try {
      result = this.behaviour.step(this.state, input);
    } catch (e) {
      if (this.options.onError) this.options.onError(e, input);
      else queueMicrotask(() => {
        throw e;
      });
      return;
    }
    this.current = result.state;
    this.apply(input, result.outputs);
  }

  private apply(input: Input<M> | undefined, outputs: readonly Output<M>[]): void {
    for (const o of outputs) {
      switch (o.type) {
        case 'send':
          this.options.transport.send(o.to, o.message);
          break;
        case 'setTimer': {
          const old = this.timers.get(o.timer);
          if (old !== undefined) this.scheduler.clear(old);
          const name = o.timer;
          const handle = this.scheduler.set(() => {
            // A fire that races a cancel or re-arm is stale: only the handle still registered counts.
            if (this.timers.get(name) !== handle) return;
            this.timers.delete(name);
            this.enqueue((now) => ({ type: 'timer', timer: name, now }));
          }, Math.max(0, o.after));
          this.timers.set(name, handle);
          break;
        }
        case 'cancelTimer': {
          const h = this.timers.get(o.timer);
          if (h !== undefined) this.scheduler.clear(h);
          this.timers.delete(o.timer);
          break;
        }
        case 'notify':
          this.options.onNotify?.(o.event);
          break;
      }
    }
    this.options.onStep?.(input, outputs, this.state);
  }

  /** Names of the timers currently armed (diagnostics and tests). */
  armedTimers(): string[] {
    return [...this.timers.keys()].sort();
  }
}
