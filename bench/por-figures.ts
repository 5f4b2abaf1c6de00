/**
 * The POR figures of docs/checker.md: distinct states and seconds without and with --por on majority
 * and SWIM (3 and 4 nodes, their declared faults, and none), counters, request-ack and the relay
 * pipeline; the share of expanded states with an ample set, and why the others were expanded in full
 * (faults / senders (C1) / visible (C2) / proviso (C3) / one node), as a Markdown table.
 *
 *   npx tsx bench/por-figures.ts
 */
import type { ProtocolDefinition } from '../spec/protocol.js';
import { check } from '../checker/index.js';
import { modelProtocol } from '../cli/protocols.js';
import { requestAck } from '../examples/request-ack/model.js';
import { relayPipeline } from '../examples/relay/model.js';
import { loadavg } from 'node:os';
const rows: [string, ProtocolDefinition<unknown, unknown, unknown>, Record<string, unknown>][] = [
  ['majority 3 nodes, crash+update budget 2, depth ≤ 7', modelProtocol('majority'), { nodes: 3, maxDepth: 7 }],
  ['majority 4 nodes, crash+update budget 2, depth ≤ 5', modelProtocol('majority'), { nodes: 4, maxDepth: 5 }],
  ['majority 3 nodes, no faults, depth ≤ 8', modelProtocol('majority'), { nodes: 3, maxDepth: 8, faults: [], faultBudget: 0 }],
  ['swim 3 nodes, crash+update budget 2, depth ≤ 6', modelProtocol('swim'), { nodes: 3, maxDepth: 6 }],
  ['swim 4 nodes, crash+update budget 2, depth ≤ 5', modelProtocol('swim'), { nodes: 4, maxDepth: 5 }],
  ['swim 3 nodes, no faults, depth ≤ 7', modelProtocol('swim'), { nodes: 3, maxDepth: 7, faults: [], faultBudget: 0 }],
  ['counters 4 nodes mod 10, exhaustive', modelProtocol('counters'), { nodes: 4 }],
  ['request-ack, no faults, exhaustive', requestAck(true) as never, {}],
  ['request-ack, loss (unlimited), exhaustive', requestAck(true) as never, { faults: ['loss'] }],
  ['relay pipeline 9 items, exhaustive', relayPipeline(9) as never, {}],
];
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [label, p, o] of rows) {
  const properties = p.properties.filter((x) => x.temporal !== 'eventually').map((x) => x.name);
  const r = [false, true].map((por) => check(p, { maxStates: 0, timeLimitSec: 0, properties, ...o, por }));
  const f = r[1].stats.por!;
  const share = (100 * f.ample) / f.expanded;
  console.log(`| ${label} | ${r[0].stats.distinct.toLocaleString('en')} | ${r[1].stats.distinct.toLocaleString('en')} | ${(r[0].stats.distinct / r[1].stats.distinct).toFixed(3)}× | ${r[0].stats.seconds.toFixed(1)} s | ${r[1].stats.seconds.toFixed(1)} s | ${share.toFixed(1)}% | ${(100 * f.fallbacks.faults / f.expanded).toFixed(0)}% / ${(100 * f.fallbacks.senders / f.expanded).toFixed(0)}% / ${(100 * f.fallbacks.visible / f.expanded).toFixed(0)}% / ${(100 * f.fallbacks.proviso / f.expanded).toFixed(1)}% / ${(100 * f.fallbacks.oneNode / f.expanded).toFixed(0)}% | ${r[0].verdicts.map((v) => v.status).join(',') === r[1].verdicts.map((v) => v.status).join(',') ? 'same' : 'DIFFER'} |`);
}
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
