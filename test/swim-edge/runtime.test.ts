/**
 * The generic runtime drives any NodeBehaviour: a trivial "echo counter" node of this test's own
 * stands in for a protocol, with a fake clock and an in-memory transport.
 */
import { describe, expect, it } from 'vitest';
import type { NodeBehaviour, Notification } from '../../spec/step.js';
import { NodeRuntime } from '../../impl/runtime/runtime.js';
import { FakeTime } from '../../impl/runtime/types.js';
import { MemoryNetwork } from '../../impl/runtime/memory-transport.js';

type Msg = { readonly kind: 'hello'; readonly n: number };
interface St {
  readonly id: string;
  readonly peers: readonly string[];
  readonly ticks: number;
  readonly heard: number;
  readonly lastNow: number;
}

/** Every 100 ms it says hello to its peers; `leave` cancels the tick. */
const echo: NodeBehaviour<St, Msg> = {
  protocol: 'echo',
  init: (s) => ({ state: { id: s.id, peers: s.seeds, ticks: 0, heard: 0, lastNow: s.now }, outputs: [{ type: 'setTimer', timer: 'tick', after: 100 }] }),
  step: (st, input) => {
    if (input.type === 'timer') {
      const ticks = st.ticks + 1;
      return {
        state: { ...st, ticks, lastNow: input.now },
        outputs: [...st.peers.map((to) => ({ type: 'send' as const, to, message: { kind: 'hello' as const, n: ticks } })), { type: 'setTimer', timer: 'tick', after: 100 }],
      };
    }
    if (input.type === 'receive') return { state: { ...st, heard: st.heard + 1, lastNow: input.now }, outputs: [{ type: 'notify', event: { kind: 'alive', member: input.from } }] };
    if (input.type === 'command' && input.command.kind === 'leave') return { state: st, outputs: [{ type: 'cancelTimer', timer: 'tick' }] };
    if (input.type === 'command' && input.command.kind === 'join') throw new Error('join not supported');
    return { state: st, outputs: [] };
  },
  view: (st) => ({ self: st.id, members: {} }),
  encode: (st) => JSON.stringify(st),
};

function pair() {
  const time = new FakeTime(1000);
  const net = new MemoryNetwork<Msg>();
  const events: Notification[] = [];
  const mk = (id: string, peer: string) =>
    new NodeRuntime(echo, { id, info: { id, address: 'x:1', metricsPort: 1, nodeType: 'backend', isLoadBalancer: false, capabilities: [], lastUpdated: 0 }, seeds: [peer], rngSeed: 1, config: undefined }, {
      transport: net.transport(id),
      clock: time,
      scheduler: time,
      onNotify: (e) => events.push(e),
    });
  return { time, net, events, a: mk('a', 'b'), b: mk('b', 'a') };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('NodeRuntime', () => {
  it('arms the timers the core asks for at init', async () => {
    const { a } = pair();
    await a.start();
    expect(a.armedTimers()).toEqual(['tick']);
  });

  it('fires a timer at its deadline with now taken from the injected clock', async () => {
    const { a, time } = pair();
    await a.start();
    time.advance(99);
    expect(a.state.ticks).toBe(0);
    time.advance(1);
    expect(a.state.ticks).toBe(1);
    expect(a.state.lastNow).toBe(1100);
  });

  it('delivers sends through the transport and notifications to the application', async () => {
    const { a, b, time, events } = pair();
    await a.start();
    await b.start();
    time.advance(100);
    await flush();
    expect(a.state.heard).toBe(1);
    expect(b.state.heard).toBe(1);
    expect(events).toEqual([
      { kind: 'alive', member: 'a' },
      { kind: 'alive', member: 'b' },
    ]);
  });

  it('applies cancelTimer: a cancelled timer never fires', async () => {
    const { a, time } = pair();
    await a.start();
    a.command({ kind: 'leave' });
    time.advance(1000);
    expect(a.state.ticks).toBe(0);
    expect(time.pending()).toBe(0);
  });

  it('keeps the state and reports the error when a step throws', async () => {
    const errors: unknown[] = [];
    const time = new FakeTime(0);
    const rt = new NodeRuntime(echo, { id: 'a', info: { id: 'a', address: 'x:1', metricsPort: 1, nodeType: 'backend', isLoadBalancer: false, capabilities: [], lastUpdated: 0 }, seeds: [], rngSeed: 1, config: undefined }, {
      transport: new MemoryNetwork<Msg>().transport('a'),
      clock: time,
      scheduler: time,
      onError: (e) => errors.push(e),
    });
    await rt.start();
    const before = rt.state;
    rt.command({ kind: 'join', seeds: [] });
    expect(rt.state).toBe(before);
    expect(errors).toHaveLength(1);
  });

  it('stops driving the core after stop(): timers cleared, deliveries ignored', async () => {
    const { a, b, time } = pair();
    await a.start();
    await b.start();
    await a.stop();
    time.advance(500);
    await flush();
    expect(a.state.ticks).toBe(0);
    expect(a.state.heard).toBe(0);
    expect(b.state.ticks).toBe(5);
  });
});
