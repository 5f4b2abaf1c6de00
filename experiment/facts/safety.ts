/**
 * The checker's verdicts as the safety rule (R0) reads them: per option, the `always` properties some
 * configuration speaking for it violated, counted only where the configuration meets the property's
 * timing assumption (a property assuming bounded timing, such as `accuracy`, violated under async
 * timing is the assumption failing, not the protocol). Null: no configuration speaks for the option.
 */
import type { PropertyTable } from '../checker-verdicts.js';
import { SIM_PROTOCOLS } from '../protocols.js';
import { OPTION_ALIASES, optionName } from '../rules.js';

export interface SafetyFacts {
  /** Counted violations per option; null when the checker has not judged the option. */
  readonly counted: Readonly<Record<string, readonly string[] | null>>;
  /** Every violation per option, counted or not, with the configurations that showed it. */
  readonly violations: Readonly<Record<string, readonly { readonly property: string; readonly columns: readonly string[]; readonly counted: boolean }[]>>;
}

interface PropertyDef {
  readonly temporal: string;
  readonly timing: string | undefined;
}

/** The property's temporal kind and timing assumption: from the simulator's protocol, else the verdict's record. */
function definition(option: string, property: string, temporal: string | undefined): PropertyDef | undefined {
  const protocol = SIM_PROTOCOLS[option] ?? SIM_PROTOCOLS[Object.keys(OPTION_ALIASES).find((k) => OPTION_ALIASES[k] === option) ?? ''];
  const d = protocol?.().definition;
  const def = d?.properties.find((p) => p.name === property);
  // A protocol may state its own assumptions for a property (spec/protocol.ts), overriding the property's.
  const own = (d as { assumptions?: Readonly<Record<string, { readonly timing?: string }>> } | undefined)?.assumptions?.[property];
  if (def) return { temporal: def.temporal, timing: own?.timing ?? def.assumptions.timing };
  return temporal === undefined ? undefined : { temporal, timing: undefined };
}

/** Counted: an `always` property whose assumption the configuration meets (an unknown assumption counts only under bounded timing). */
export function countsForSafety(option: string, property: string, timing: string, temporal?: string): boolean {
  const def = definition(option, property, temporal);
  if (def === undefined || def.temporal !== 'always') return false;
  return def.timing === 'async' || timing === 'bounded';
}

export function safetyFacts(table: PropertyTable, options: readonly string[]): SafetyFacts {
  const counted: Record<string, readonly string[] | null> = {};
  const violations: Record<string, { property: string; columns: string[]; counted: boolean }[]> = {};
  for (const o of options) {
    counted[o] = null;
    violations[o] = [];
  }
  if (!table.produced) return { counted, violations };
  for (const o of options) {
    const cols = table.columns.filter((c) => optionName(c.speaksFor) === o);
    if (cols.length === 0) continue;
    const mine: string[] = [];
    for (const p of table.properties) {
      const bad = cols.filter((c) => table.cells[p][c.id]?.status === 'violated');
      if (bad.length === 0) continue;
      const isCounted = bad.some((c) => countsForSafety(o, p, c.timing, table.temporal[p]));
      violations[o].push({ property: p, columns: bad.map((c) => c.id), counted: isCounted });
      if (isCounted) mine.push(p);
    }
    counted[o] = mine.sort();
  }
  return { counted, violations };
}
