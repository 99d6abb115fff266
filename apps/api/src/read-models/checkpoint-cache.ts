import type { LogCheckpoint } from '@app/event-store';
import type { ProjectionRegistry } from '@app/projections';

interface Entry<T> {
  /** the read model's checkpoint the answer was computed at */
  readonly checkpoint: string;
  readonly computedAt: number;
  readonly value: Promise<T>;
}

const checkpointKey = (at: LogCheckpoint) => `${at.transactionId}/${at.globalPosition}`;

/**
 * Answers computed from one read model, per process, kept while that read model stands at
 * the checkpoint they were computed at, and for at most `maxAgeMs`: any event its projection
 * applies (by whichever worker) makes the next request compute the answer again, so a read
 * with `?after=` that waited for the caller's write still sees it. Requests that miss at once
 * share one computation; a failed one is not kept. Least recently used answers go first
 * beyond `maxEntries`. For reads that many callers repeat and that cost far more than the
 * checkpoint's one-row read: an agent's queue counts, a supervisor's report over a year.
 */
export class CheckpointCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly projections: ProjectionRegistry,
    /** the projection whose read model the answers come from */
    private readonly projection: string,
    private readonly options: { readonly maxAgeMs: number; readonly maxEntries: number },
  ) {}

  /** The answer for `key`: a cached one still valid at `nowMs`, or `compute()`'s. */
  async get(key: string, nowMs: number, compute: () => Promise<T>): Promise<T> {
    // the stored checkpoint: reading it must not build the read model (a worker's job)
    const stored = await this.projections.get(this.projection).storedCheckpoint();
    // not built yet: the answer's own read fails READ_MODEL.NOT_READY; nothing to keep
    if (!stored) return compute();
    const checkpoint = checkpointKey(stored);
    const cached = this.entries.get(key);
    if (cached && cached.checkpoint === checkpoint && nowMs - cached.computedAt < this.options.maxAgeMs) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, cached);
      return cached.value;
    }
    const entry: Entry<T> = { checkpoint, computedAt: nowMs, value: compute() };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry.value;
  }
}
