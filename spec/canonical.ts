/**
 * Canonical JSON: object keys sorted, so two equal values always give the same text. The checker
 * interns local states by this text, so key order must not depend on the order fields were written.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Map || value instanceof Set) throw new TypeError('canonicalJson: convert Map/Set to arrays or records first');
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * A JSON value with node ids renamed: every string equal to a key of `map`, and every object key
 * equal to one, is replaced. Used for symmetry reduction of plain-JSON states, messages and records.
 */
export function renameJson(value: unknown, map: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return Object.hasOwn(map, value) ? map[value] : value;
  if (Array.isArray(value)) return value.map((v) => renameJson(v, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[Object.hasOwn(map, k) ? map[k] : k] = renameJson(v, map);
    return out;
  }
  return value;
}
