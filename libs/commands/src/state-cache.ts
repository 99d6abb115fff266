/** What the writer remembers of a stream between writes. */
export interface CachedStream<S> {
  readonly state: S;
  /** the stream's version that `state` is at */
  readonly version: number;
  /** idempotency keys written to the stream (scope and key), newest last */
  readonly keys: ReadonlyMap<
    string,
    { readonly version: number; readonly position: number; readonly fingerprint?: string }
  >;
}

/**
 * A bounded map of recent stream states, least recently used evicted first (a Map keeps
 * insertion order; a hit moves the entry to the end). Never trusted on its own: the
 * append's expected version checks it against the stream (stream-writer.ts).
 */
export class StateCache<S> {
  private readonly entries = new Map<string, CachedStream<S>>();

  constructor(private readonly capacity: number) {}

  get(streamId: string): CachedStream<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: CachedStream<S>): void {
    if (this.capacity <= 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
