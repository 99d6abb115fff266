/** A stream's last committed event: its version and its hash in the audit chain. */
export interface StreamHead {
  readonly version: number;
  readonly hash: Buffer;
}

/**
 * The heads of streams this process appended to or read to the end, so that the next append
 * can hash its events here and send a plain insert (event-store.sql.ts, INSERT_ONE), instead
 * of asking the database to find the previous hash and chain in SQL (APPEND_ONE), which costs
 * the append path a guarded read and the canonical text sent twice.
 *
 * A head is only a hint, and a safe one: events are never updated or deleted, so once
 * version N of a stream committed with hash H, it stays so. A head is used only for an append
 * that expects exactly version N; if the stream moved on meanwhile (another process), the
 * insert of N + 1 collides on the primary key and is refused as a conflict, as it would be
 * anyway. Only committed heads are remembered (appends in a caller's transaction, which may
 * yet roll back, teach nothing). A database restored to an earlier state under a running
 * process would make its heads wrong: restart the processes after a restore (their
 * projections' checkpoints would be wrong too).
 *
 * Bounded: the least recently used head is forgotten first.
 */
export class StreamHeads {
  private readonly heads = new Map<string, StreamHead>();

  /** @param capacity how many streams to remember; 0 remembers none */
  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.heads.size;
  }

  /** the hash of `version` of the stream, when that is its known head */
  hashAt(streamId: string, version: number): Buffer | undefined {
    const head = this.heads.get(streamId);
    if (head?.version !== version) return undefined;
    // refresh its place in the eviction order
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    return head.hash;
  }

  /** remembers a committed head; never moves a known head backwards */
  remember(streamId: string, head: StreamHead): void {
    if (this.capacity === 0) return;
    const known = this.heads.get(streamId);
    if (known && known.version >= head.version) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value as string;
      this.heads.delete(oldest);
    }
  }

  /** forgets the stream's head if it is at or below `version` (the stream is known to be past it) */
  forget(streamId: string, version: number): void {
    const known = this.heads.get(streamId);
    if (known && known.version <= version) this.heads.delete(streamId);
  }
}
