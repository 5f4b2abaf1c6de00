/**
 * The divergence report a person acts on: the shortest failing prefix, the diverging step, what the
 * model allows against what the implementation did, and the two Views side by side.
 */
import { canonicalJson } from '../spec/canonical.js';
import type { Input, Output } from '../spec/step.js';
import type { MemberView, View } from '../spec/view.js';
import type { AllowedStep, Divergence } from './lockstep.js';

const MAX = 160;
const clip = (s: string): string => (s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);

export function describeInput<M>(input: Input<M>): string {
  const choice = input.choice ? ` choice=[${input.choice.join(',')}]` : '';
  switch (input.type) {
    case 'receive':
      return clip(`t=${input.now} receive from ${input.from}: ${JSON.stringify(input.message)}${choice}`);
    case 'timer':
      return `t=${input.now} timer ${input.timer}${choice}`;
    case 'command':
      return clip(`t=${input.now} command ${JSON.stringify(input.command)}${choice}`);
    default:
      return `t=${input.now} ${input.type}${choice}`;
  }
}

export function describeOutput<M>(o: Output<M>): string {
  switch (o.type) {
    case 'send':
      return clip(`send → ${o.to}: ${JSON.stringify(o.message)}`);
    case 'setTimer':
      return `setTimer ${o.timer} +${o.after} ms`;
    case 'cancelTimer':
      return `cancelTimer ${o.timer}`;
    case 'notify':
      return clip(`notify ${JSON.stringify(o.event)}`);
  }
}

function describeStep<M>(s: AllowedStep<M>, other: AllowedStep<M> | null, indent: string): string[] {
  const lines = [`${indent}${s.choice ? `choice [${s.choice.join(', ')}]: ` : ''}${s.outputs.length} output(s)`];
  s.outputs.forEach((o, i) => {
    const differs = other !== null && canonicalJson(o) !== canonicalJson(other.outputs[i]);
    lines.push(`${indent}  ${differs ? '≠' : ' '} ${i + 1}. ${describeOutput(o)}`);
  });
  return lines;
}

function cell(m: MemberView | undefined): string {
  if (!m) return '—';
  return `${m.status} v${m.version} ${m.info.address} ${m.info.nodeType} @${m.info.lastUpdated}`;
}

export function viewsSideBySide(model: View | null, impl: View | null): string[] {
  const ids = [...new Set([...Object.keys(model?.members ?? {}), ...Object.keys(impl?.members ?? {})])].sort();
  const rows = ids.map((id) => {
    const a = cell(model?.members[id]);
    const b = cell(impl?.members[id]);
    const differs = canonicalJson(model?.members[id]) !== canonicalJson(impl?.members[id]);
    return [id, a, b, differs ? '≠' : ''];
  });
  const w0 = Math.max(6, ...rows.map((r) => r[0].length));
  const w1 = Math.max(5, ...rows.map((r) => r[1].length));
  const out = [`    ${'member'.padEnd(w0)} | ${'model'.padEnd(w1)} | impl`];
  for (const r of rows) out.push(`  ${r[3] ? '≠' : ' '} ${r[0].padEnd(w0)} | ${r[1].padEnd(w1)} | ${r[2]}`);
  if (model === null) out.push('    (model View unavailable)');
  if (impl === null) out.push('    (implementation View unavailable)');
  return out;
}

export function formatDivergence<M>(d: Divergence<M>, protocol: string): string {
  const lines: string[] = [];
  const where = d.step === 0 ? 'at init' : `at step ${d.step}`;
  lines.push(`DIVERGENCE (${d.kind}) in ${protocol} ${where}: ${d.detail}`);
  if (d.origin) lines.push(`  found by: ${d.origin}`);
  lines.push(`  node ${d.setup.id}, seeds [${d.setup.seeds.join(', ')}], start t=${d.setup.now}, rngSeed ${d.setup.rngSeed}`);
  lines.push(
    d.shrunkFrom !== undefined
      ? `  shortest failing prefix: ${d.prefix.length} input(s), shrunk from ${d.shrunkFrom}`
      : `  failing prefix: ${d.prefix.length} input(s) (not shrunk)`,
  );
  d.prefix.forEach((input, i) => lines.push(`  ${i + 1 === d.step ? '→' : ' '} ${String(i + 1).padStart(3)}. ${describeInput(input)}`));
  const actual = d.actual;
  lines.push(d.allowed.length > 1 ? `  the model allows any of ${d.allowed.length} steps:` : '  the model allows:');
  for (const a of d.allowed) lines.push(...describeStep(a, actual, '    '));
  if (actual) {
    lines.push('  the implementation did:');
    const closest = d.allowed.find((a) => canonicalJson(a.choice) === canonicalJson(actual.choice)) ?? d.allowed[0] ?? null;
    lines.push(...describeStep(actual, closest, '    '));
  }
  // A choice the model does not enable is a step it cannot take: its View is the one before.
  lines.push(d.kind === 'choice' ? '  Views (model: before the step it cannot take; implementation: after):' : '  Views after the step:');
  lines.push(...viewsSideBySide(d.modelView, d.implView));
  return lines.join('\n');
}
