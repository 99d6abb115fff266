import type { LogCheckpoint, LogReader, RecordedEvent } from '@app/event-store';

/** One batch of whole streams of a pass: the pass's place before it, and after it (none after the last). */
export interface PassBatch {
  readonly afterStream: string;
  /** the last stream it covers; undefined for the last batch of the pass */
  readonly next: string | undefined;
  readonly events: readonly RecordedEvent[];
}

/**
 * The batches of a pass stream by stream, read once for several readers that each write
 * them at their own pace (passTogether: one per projection). Batch i is read after
 * batch i − 1 (its place comes from it), one ahead of the furthest reader; a reader more
 * than `ahead` batches in front of the slowest one still reading waits for it, so at most
 * `ahead` + 2 batches are held, whatever the speeds. A batch is dropped once every reader
 * has passed it.
 */
export class SharedPassReads {
  private readonly reads = new Map<number, Promise<PassBatch | undefined>>();
  private readonly at = new Map<number, number>();
  private waiting: (() => void)[] = [];

  constructor(
    private readonly reader: LogReader,
    /** the pass's end, its types, events of the log a batch, and the place it starts from */
    private readonly read: {
      readonly through: LogCheckpoint;
      readonly types: readonly string[];
      readonly events: number;
      readonly afterStream: string;
    },
    readers: number,
    private readonly ahead = 2,
  ) {
    for (let r = 0; r < readers; r++) this.at.set(r, 0);
  }

  /** Batch i for reader r (undefined past the end of the pass); waits while r is too far ahead. */
  async get(r: number, i: number): Promise<PassBatch | undefined> {
    while (i > this.slowest() + this.ahead) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.ensure(i + 1);
    return this.reads.get(i)!;
  }

  /** Reader r is done with batch i (its next one is i + 1). */
  passed(r: number, i: number): void {
    this.at.set(r, i + 1);
    this.moved();
  }

  /** Reader r reads no more (finished, left the pass, or failed). */
  leave(r: number): void {
    this.at.delete(r);
    this.moved();
  }

  private slowest(): number {
    return this.at.size === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...this.at.values());
  }

  private moved(): void {
    const slowest = this.slowest();
    for (const i of this.reads.keys()) if (i < slowest) this.reads.delete(i);
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** reads made so far: batches 0 … made − 1 */
  private made = 0;

  private ensure(upTo: number): void {
    for (; this.made <= upTo; this.made++) {
      const i = this.made;
      const before = i === 0 ? undefined : this.reads.get(i - 1);
      const reading = (async (): Promise<PassBatch | undefined> => {
        const previous = await before;
        // past the pass's last batch
        if (i > 0 && previous?.next === undefined) return undefined;
        const afterStream = i === 0 ? this.read.afterStream : previous!.next!;
        const { events, next } = await this.reader.readWholeStreams({ ...this.read, afterStream });
        return { afterStream, next: next ?? undefined, events };
      })();
      reading.catch(() => undefined); // awaited by get()
      this.reads.set(i, reading);
    }
  }
}
