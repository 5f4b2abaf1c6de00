/**
 * The checker can say "violated": each deliberately broken variant of a model is caught with a
 * counterexample, on a property that the correct model satisfies under the same bounds. Variants are
 * made with XState's `provide`, replacing one named guard or action, as a bug would.
 */
import { describe, expect, it } from 'vitest';
import { assign, enqueueActions } from 'xstate';
import {
  type CheckOptions,
  MAJORITY_DEFAULTS,
  standardCluster,
  type MajorityConfig,
  type MajorityMessage,
  type ProtocolDefinition,
  check,
  counterMachine,
  countersProtocol,
  machineBehaviour,
  majorityMachine,
  majorityModelView,
  majorityProtocol,
} from 'alice';

type Machine = typeof majorityMachine;
type Proto = ProtocolDefinition<never, MajorityMessage, MajorityConfig>;
const mutant = (machine: Machine, base: Proto = majorityProtocol as unknown as Proto): Proto => ({
  ...base,
  behaviour: machineBehaviour<Machine, MajorityMessage, MajorityConfig>(machine, { protocol: 'majority', view: majorityModelView }) as never,
});

/**
 * Periodic re-announcement repairs a lost update on its own, so update bugs are judged with it
 * switched off (reannounceIntervalMs 0, a valid configuration): only the update path spreads news.
 */
const noReannounce: Proto = {
  ...(majorityProtocol as unknown as Proto),
  cluster: (n, o) => standardCluster(n, { ...MAJORITY_DEFAULTS, reannounceIntervalMs: 0 }, o),
};

const bounds: Partial<CheckOptions> = { nodes: 3, faults: ['update'], faultBudget: 1, maxDepth: 8, timeLimitSec: 60, maxStates: 0 };

const cases: { name: string; property: string; timing?: 'bounded'; make: () => Proto }[] = [
  {
    name: 'a load balancer that drops a backend whose vitals say ready',
    property: 'accuracy',
    timing: 'bounded',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            judgeVitals: assign(({ context, event }) => {
              const { [event.type === 'receive' ? event.from : '']: _dropped, ...peers } = context.peers;
              return { peers, polling: [] };
            }),
          },
        }) as Machine,
      ),
  },
  {
    name: 'a backend that answers every poll with ready: false',
    property: 'accuracy',
    timing: 'bounded',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            replyVitals: enqueueActions(({ context, event, enqueue }) => {
              if (event.type === 'receive') enqueue.emit({ type: 'send', to: event.from, message: { kind: 'vitalsReply', vitals: { ...context.vitals, ready: false } } });
            }),
          },
        }) as Machine,
      ),
  },
  {
    name: 'a registry that stores a registrant with a timestamp it never announced',
    property: 'selfSovereignty',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            storeRegistrantAndReply: assign(({ context, event }) =>
              event.type === 'receive' && event.message.kind === 'register'
                ? { peers: { ...context.peers, [event.from]: { info: { ...event.message.info, lastUpdated: event.message.info.lastUpdated + 5000 }, version: 0 } } }
                : {},
            ),
          },
        }) as Machine,
      ),
  },
  {
    name: 'a node that never stores registrants',
    property: 'agreement',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            storeRegistrantAndReply: enqueueActions(({ event, enqueue }) => {
              if (event.type === 'receive') enqueue.emit({ type: 'send', to: event.from, message: { kind: 'registerReply', peers: [] } });
            }),
          },
        }) as Machine,
      ),
  },
  {
    name: 'a resolution that lets others overwrite the node itself',
    property: 'selfSovereignty',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            resolveAndAdopt: assign(({ context }) => ({
              self: { ...context.self, address: 'adopted-from-peers:1' },
              awaiting: null,
              responses: [],
            })),
          },
        }) as Machine,
      ),
  },
  {
    name: 'a registry that files a registrant under the wrong id',
    property: 'selfSovereignty',
    make: () =>
      mutant(
        majorityMachine.provide({
          actions: {
            storeRegistrantAndReply: assign(({ context, event }) =>
              event.type === 'receive' && event.message.kind === 'register'
                ? { peers: { ...context.peers, [`${event.from}x`]: { info: event.message.info, version: 0 } } }
                : {},
            ),
          },
        }) as Machine,
      ),
  },
];

describe('the correct majority model satisfies, within the bounds, the properties its mutants break', () => {
  it('selfSovereignty, agreement and freshness hold', () => {
    const r = check(majorityProtocol, { ...bounds, properties: ['selfSovereignty', 'agreement', 'freshness'], maxDepth: 6 });
    for (const v of r.verdicts) expect(v.status, v.property).toBe('no-violation-found');
  });

  it('accuracy holds under bounded timing without loss', () => {
    const r = check(majorityProtocol, { ...bounds, timing: 'bounded', faults: [], maxDepth: 40, properties: ['accuracy'] });
    expect(r.verdicts[0].status).toBe('no-violation-found');
  });
});

describe('what the checker finds in the design itself', () => {
  it('freshness needs re-announcement: an update made before a node knows its peers never reaches them', () => {
    const r = check(noReannounce, { ...bounds, properties: ['freshness'], maxDepth: 6 });
    expect(r.verdicts[0].status).toBe('violated');
    expect(r.verdicts[0].trace?.steps[1].action).toMatch(/updates its NodeInfo/);
  });
});

describe('mutants are caught with a counterexample', () => {
  for (const c of cases) {
    it(`catches ${c.name} (${c.property})`, () => {
      const options = c.timing === 'bounded' ? { ...bounds, timing: 'bounded' as const, faults: [], maxDepth: 40 } : bounds;
      const r = check(c.make(), { ...options, properties: [c.property], stopAtFirst: true });
      const v = r.verdicts.find((x) => x.property === c.property);
      expect(v?.status).toBe('violated');
      expect(v?.trace?.steps.length).toBeGreaterThan(1);
    });
  }

  it('catches a counter that overflows its modulus (inRange)', () => {
    const broken = counterMachine.provide({ actions: { advance: assign({ count: ({ context }) => (context.count + 1) % (context.modulus + 1) }) } });
    const proto = { ...countersProtocol(4), behaviour: machineBehaviour(broken, { protocol: 'counters', view: countersProtocol(4).behaviour.view as never }) };
    const r = check(proto as never, { nodes: 2, faults: [], maxDepth: 100, maxStates: 0 });
    expect(r.verdicts.find((v) => v.property === 'inRange')?.status).toBe('violated');
  });

  it('reports a sometimes property that a broken counter can never reach', () => {
    const stuck = counterMachine.provide({ actions: { advance: assign({ count: ({ context }) => Math.min(context.count + 1, context.modulus - 2) }) } });
    const proto = { ...countersProtocol(4), behaviour: machineBehaviour(stuck, { protocol: 'counters', view: countersProtocol(4).behaviour.view as never }) };
    const r = check(proto as never, { nodes: 2, faults: [], maxDepth: 100, maxStates: 0 });
    expect(r.verdicts.find((v) => v.property === 'allAtTop')?.status).toBe('unreached');
  });
});
