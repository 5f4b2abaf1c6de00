/** The protocols the experiment compares, by name, each with what the simulator measures about it. */
import { AliceError } from '../spec/errors.js';
import { hybridSharedSimProtocol, hybridSimProtocol } from './hybrid-sim.js';
import { majoritySimProtocol } from './majority-sim.js';
import type { SimProtocol } from './sim-protocol.js';
import { swimSimProtocol } from './swim-sim.js';

type AnySim = SimProtocol<unknown, unknown, unknown>;

export const SIM_PROTOCOLS: Readonly<Record<string, () => AnySim>> = {
  majority: () => majoritySimProtocol() as unknown as AnySim,
  swim: () => swimSimProtocol() as unknown as AnySim,
  // SWIM among load balancers only, backends registered with one LB (Inferno's PR #17 design).
  hybrid: () => hybridSimProtocol() as unknown as AnySim,
  // Ours: the hybrid with every LB sharing its backend list, so every LB routes to every backend.
  'hybrid-shared': () => hybridSharedSimProtocol() as unknown as AnySim,
};

/** The incumbent (Inferno today) and the candidate, as the recommendation names them. */
export const INCUMBENT = 'majority';
export const CANDIDATE = 'swim';

export function simProtocol(name: string): AnySim {
  const make = SIM_PROTOCOLS[name];
  if (!make) throw new AliceError('USAGE', `unknown protocol '${name}'; known: ${Object.keys(SIM_PROTOCOLS).join(', ')}`);
  return make();
}
