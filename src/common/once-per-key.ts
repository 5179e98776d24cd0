/**
 * A value per key, made once: callers asking while it is being made share the one promise; a
 * failed make is forgotten, so the next caller tries again (a model that failed to load).
 */
export class OncePerKey<V> {
  private readonly made = new Map<string, V>();
  private readonly making = new Map<string, Promise<V>>();

  get(key: string): V | undefined {
    return this.made.get(key);
  }

  has(key: string): boolean {
    return this.made.has(key);
  }

  delete(key: string): boolean {
    return this.made.delete(key);
  }

  async obtain(key: string, make: () => Promise<V>): Promise<V> {
    const existing = this.made.get(key);
    if (existing !== undefined) return existing;
    let pending = this.making.get(key);
    if (!pending) {
      pending = make()
        .then((value) => {
          this.made.set(key, value);
          return value;
        })
        .finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }
}
