/** The protocols the experiment compares, by name, each with what the simulator measures about it. */
import { AliceError } from '../spec/errors.js';
import { hybridLibraryHealthSimProtocol, hybridSharedSimProtocol, hybridSimProtocol } from './hybrid-sim.js';
import { infernoLibrarySimProtocol, infernoSimProtocol } from './inferno-sim.js';
import { majorityHardenedSimProtocol, majoritySimProtocol } from './majority-sim.js';
import type { SimProtocol } from './sim-protocol.js';
import { swimSimProtocol } from './swim-sim.js';

type AnySim = SimProtocol<unknown, unknown, unknown>;

export const SIM_PROTOCOLS: Readonly<Record<string, () => AnySim>> = {
  // The baseline: Inferno's code as it behaves (registration once, the proxy's health loop).
  'inferno-current': () => infernoSimProtocol() as unknown as AnySim,
  // Ours: the same with the library's health loop Inferno's docs describe and nothing calls.
  'inferno-library-health': () => infernoLibrarySimProtocol() as unknown as AnySim,
  // The design Inferno's docs describe, not its code: re-announcement to every peer, majority rule.
  'majority-mesh': () => majoritySimProtocol() as unknown as AnySim,
  // The same, under the name results written before the rename carry.
  majority: () => majoritySimProtocol() as unknown as AnySim,
  // Ours: majority-mesh with versioned self-sovereign records (spec/majority-hardened.ts), which the
  // checker shows free of its noRegression and orderIndependence violations. Not in the default experiment.
  'majority-hardened': () => majorityHardenedSimProtocol() as unknown as AnySim,
  swim: () => swimSimProtocol() as unknown as AnySim,
  // SWIM among load balancers only, backends registered with one LB (Inferno's PR #17 design), health
  // checks unchanged: the proxy binary's loop, as inferno-current.
  hybrid: () => hybridSimProtocol() as unknown as AnySim,
  // Ours: the hybrid with the library's health loop (5 s / 2 s, reads `ready`), as inferno-library-health.
  'hybrid-library-health': () => hybridLibraryHealthSimProtocol() as unknown as AnySim,
  // Ours: the hybrid with every LB sharing its backend list, so every LB routes to every backend.
  'hybrid-shared': () => hybridSharedSimProtocol() as unknown as AnySim,
};

export function simProtocol(name: string): AnySim {
  const make = SIM_PROTOCOLS[name];
  if (!make) throw new AliceError('USAGE', `unknown protocol '${name}'; known: ${Object.keys(SIM_PROTOCOLS).join(', ')}`);
  return make();
}
