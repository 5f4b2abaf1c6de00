/**
 * Interning: each distinct value gets a small integer id, so global states are arrays of ints.
 * Each id also carries two 32-bit hashes of its key text. Ids depend on the order values were met,
 * which differs between worker threads; the key hashes do not, so a fingerprint built from them
 * names the same state alike in every worker.
 */
export class Interner<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  readonly keys: string[] = [];
  /** Two independent hashes of each id's key. */
  readonly hashA: number[] = [];
  readonly hashB: number[] = [];

  intern(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
      this.keys.push(key);
      this.hashA.push(textHash(key, 0x2545f491));
      this.hashB.push(textHash(key, 0x9e3779b9));
    }
    return id;
  }

  lookup(key: string): number | undefined {
    return this.ids.get(key);
  }

  get size(): number {
    return this.values.length;
  }
}

/** A 32-bit hash of text (murmur3-style over UTF-16 code units). */
export function textHash(text: string, seed: number): number {
  let h = seed ^ text.length;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix(h);
}

/** murmur3's finalizer: every input bit affects every output bit. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
