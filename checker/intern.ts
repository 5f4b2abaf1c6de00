/** Interning: each distinct value gets a small integer id, so global states are arrays of ints. */
export class Interner<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  readonly keys: string[] = [];

  intern(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
      this.keys.push(key);
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
