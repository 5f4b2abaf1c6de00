/**
 * The majority model's deliberate bugs, each made with XState's `provide` (one named guard or action
 * replaced, as a bug would): caught by mutations.test.ts, and checked with and without partial-order
 * reduction by por-verdicts.test.ts.
 */
import { assign, enqueueActions } from 'xstate';
import {
  type CheckOptions,
  MAJORITY_DEFAULTS,
  standardCluster,
  type MajorityConfig,
  type MajorityMessage,
  type ProtocolDefinition,
  machineBehaviour,
  majorityMachine,
  majorityModelView,
  majorityProtocol,
} from 'alice';

type Machine = typeof majorityMachine;
export type Proto = ProtocolDefinition<never, MajorityMessage, MajorityConfig>;
const mutant = (machine: Machine, base: Proto = majorityProtocol as unknown as Proto): Proto => ({
  ...base,
  behaviour: machineBehaviour<Machine, MajorityMessage, MajorityConfig>(machine, { protocol: 'majority', view: majorityModelView }) as never,
});
type Actions = NonNullable<Parameters<Machine['provide']>[0]['actions']>;
/** The majority model with the named actions replaced. */
const withActions = (actions: Actions): Proto => mutant(majorityMachine.provide({ actions }) as Machine);

/**
 * Periodic re-announcement repairs a lost update on its own, so update bugs are judged with it
 * switched off (reannounceIntervalMs 0, a valid configuration): only the update path spreads news.
 */
export const noReannounce: Proto = {
  ...(majorityProtocol as unknown as Proto),
  cluster: (n, o) => standardCluster(n, { ...MAJORITY_DEFAULTS, reannounceIntervalMs: 0 }, o),
};

export const bounds: Partial<CheckOptions> = { nodes: 3, faults: ['update'], faultBudget: 1, maxDepth: 8, timeLimitSec: 60, maxStates: 0 };

export const cases: { name: string; property: string; timing?: 'bounded'; make: () => Proto }[] = [
  {
    name: 'a load balancer that drops a backend whose vitals say ready',
    property: 'accuracy',
    timing: 'bounded',
    make: () =>
      withActions({
        judgeVitals: assign(({ context, event }) => {
          const { [event.type === 'receive' ? event.from : '']: _dropped, ...peers } = context.peers;
          return { peers, polling: [] };
        }),
      }),
  },
  {
    name: 'a backend that answers every poll with ready: false',
    property: 'accuracy',
    timing: 'bounded',
    make: () =>
      withActions({
        replyVitals: enqueueActions(({ context, event, enqueue }) => {
          if (event.type === 'receive') enqueue.emit({ type: 'send', to: event.from, message: { kind: 'vitalsReply', vitals: { ...context.vitals, ready: false } } });
        }),
      }),
  },
  {
    name: 'a registry that stores a registrant with a timestamp it never announced',
    property: 'selfSovereignty',
    make: () =>
      withActions({
        storeRegistrantAndReply: assign(({ context, event }) =>
          event.type === 'receive' && event.message.kind === 'register'
            ? { peers: { ...context.peers, [event.from]: { info: { ...event.message.info, lastUpdated: event.message.info.lastUpdated + 5000 }, version: 0 } } }
            : {},
        ),
      }),
  },
  {
    name: 'a node that never stores registrants',
    property: 'agreement',
    make: () =>
      withActions({
        storeRegistrantAndReply: enqueueActions(({ event, enqueue }) => {
          if (event.type === 'receive') enqueue.emit({ type: 'send', to: event.from, message: { kind: 'registerReply', peers: [] } });
        }),
      }),
  },
  {
    name: 'a resolution that lets others overwrite the node itself',
    property: 'selfSovereignty',
    make: () =>
      withActions({
        resolveAndAdopt: assign(({ context }) => ({
          self: { ...context.self, address: 'adopted-from-peers:1' },
          awaiting: null,
          responses: [],
        })),
      }),
  },
  {
    name: 'a registry that files a registrant under the wrong id',
    property: 'selfSovereignty',
    make: () =>
      withActions({
        storeRegistrantAndReply: assign(({ context, event }) =>
          event.type === 'receive' && event.message.kind === 'register'
            ? { peers: { ...context.peers, [`${event.from}x`]: { info: event.message.info, version: 0 } } }
            : {},
        ),
      }),
  },
];
