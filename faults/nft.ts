/**
 * Faults as nftables rules inside an agent's namespace. Every change is one `nft -f -` script that
 * deletes the suite's table and writes it anew, so a rule set is replaced atomically (no moment with
 * both or neither) and clearing is idempotent (the script first declares the table, so the delete
 * never fails on a namespace that has none).
 *
 * Rules filter the agent's input only: each datagram crosses exactly one receiver's input hook, so
 * `loss` is per datagram (a probe and its ack are each dropped with that chance), and a partition is
 * made symmetric by giving both sides a rule. The hub's address (the metrics poller) is exempt, so
 * observing the cluster never suffers the fault it observes.
 *
 * Latency is left out: `tc netem` is not available in this kernel, and a delay faked in user space
 * would measure the fake, not the network.
 */
import { HUB_ADDRESS } from './netns.js';

export const TABLE = 'alice_faults';

export type FaultRules =
  | { readonly kind: 'none' }
  | { readonly kind: 'loss'; readonly percent: number }
  | { readonly kind: 'partition'; readonly blocked: readonly string[] };

function header(): string {
  return `table inet ${TABLE}\ndelete table inet ${TABLE}\n`;
}

/** The nft script that installs `rules` (or just clears, for `none`). */
export function nftScript(rules: FaultRules): string {
  if (rules.kind === 'none') return header();
  let rule: string;
  if (rules.kind === 'loss') {
    if (!Number.isInteger(rules.percent) || rules.percent < 1 || rules.percent > 99) throw new RangeError(`loss must be a whole percent 1..99, got ${rules.percent}`);
    rule = `ip saddr != ${HUB_ADDRESS} numgen random mod 100 < ${rules.percent} drop`;
  } else {
    if (rules.blocked.length === 0) return header();
    for (const a of rules.blocked) if (!/^\d+\.\d+\.\d+\.\d+$/.test(a) || a === HUB_ADDRESS) throw new RangeError(`cannot partition from '${a}': an agent's IPv4 address, not the hub's`);
    rule = `ip saddr { ${rules.blocked.join(', ')} } drop`;
  }
  return `${header()}table inet ${TABLE} {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ${rule}\n  }\n}\n`;
}

/** The argv that feeds a script to nft inside namespace `ns`. */
export function nftCommand(ns: string): string[] {
  return ['ip', 'netns', 'exec', ns, 'nft', '-f', '-'];
}

/** Splits members into two sides; each side's rules block the other's addresses. */
export function partitionRules(sideA: readonly string[], sideB: readonly string[]): Map<string, FaultRules> {
  const out = new Map<string, FaultRules>();
  for (const a of sideA) out.set(a, { kind: 'partition', blocked: sideB });
  for (const b of sideB) out.set(b, { kind: 'partition', blocked: sideA });
  return out;
}
