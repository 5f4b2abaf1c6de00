/**
 * Deadlock: a reachable state in which nothing can happen (no delivery, no timer, no fault, no clock
 * tick) and which the model does not declare final (ProtocolDefinition.isFinal). A protocol whose
 * timers keep it live never has one; a model that waits for a message nobody will send does, and
 * no property written over its states would notice: every `always` holds in a state that never
 * changes. Judged in exhaustive search (bfs, dfs), on by default, off with `--no-deadlock`.
 * A state in which every node is down is not counted: the environment stopped it, not the model.
 */
import type { Observation, Property } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';

export const DEADLOCK = 'deadlock';

/** The verdict's property: it is recorded by the explorer where a state has no successor, never by `check`. */
export const deadlockProperty: Property = {
  name: DEADLOCK,
  temporal: 'always',
  meaning: 'every reachable state has an enabled step, or is one the model declares final (isFinal)',
  assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' },
  check: () => null,
};

/** Whether a state with no enabled step is a deadlock: some node is up and the model does not call it final. */
export function isDeadlock(protocol: Pick<ProtocolDefinition<unknown, unknown>, 'isFinal'>, obs: Observation): boolean {
  if (!Object.values(obs.up).some(Boolean)) return false;
  return !(protocol.isFinal?.(obs) ?? false);
}

/** The violation's text: who is up, so a reader sees which nodes are stuck. */
export function deadlockDetail(obs: Observation): string {
  const up = Object.keys(obs.up).filter((id) => obs.up[id]);
  return `no step is enabled (no message in flight, no timer armed, no fault left) and the model does not declare this state final; up: ${up.join(', ')}`;
}
