/**
 * `tsx bench/cpuprofile-top.ts file.cpuprofile [n]`: the n functions with the most self time in a
 * V8 CPU profile, with their share, and the same by total (inclusive) time.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
const [file, nArg = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const name = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(checker|model|spec|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
const walk = (n: Node, stack: Set<string>): number => {
  let sum = n.hitCount;
  for (const c of n.children ?? []) sum += walk(byId.get(c)!, new Set([...stack, name(n)]));
  const k = name(n);
  self.set(k, (self.get(k) ?? 0) + n.hitCount);
  if (!stack.has(k)) total.set(k, (total.get(k) ?? 0) + sum);
  return sum;
};
const root = profile.nodes[0];
all = walk(root, new Set());
const top = (m: Map<string, number>, title: string) => {
  console.log(title);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg))) console.log(`  ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
};
top(self, 'self time');
top(total, 'total time');
