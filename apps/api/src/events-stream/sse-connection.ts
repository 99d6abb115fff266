/** What an SSE connection writes to: Node's `ServerResponse` (after the head), or a test's double. */
export interface SseSink {
  write(chunk: string): boolean;
  /** bytes accepted by `write` and not yet handed to the socket */
  readonly writableLength: number;
  end(): void;
  destroy(): void;
  /** 'drain': the bytes waiting were handed to the socket (Node's writable streams) */
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

export interface SseConnectionOptions {
  /** a `: keep-alive` comment this often, so proxies and clients see the connection is alive */
  readonly keepAliveMs: number;
  /**
   * A client that reads slower than events come is disconnected once this many bytes wait
   * for it in the process (it reconnects with `Last-Event-ID` and reads the rest from the log),
   * rather than buffered without end.
   */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_SSE_OPTIONS: SseConnectionOptions = { keepAliveMs: 15_000, maxBufferedBytes: 1024 * 1024 };

/**
 * Why a connection ended: the client went away, it read too slowly, the server is stopping,
 * or the bearer token it was opened with expired (the client opens a new one with a fresh token).
 */
export type SseCloseReason = 'client' | 'slow-client' | 'shutdown' | 'token-expired';

/** setTimeout's longest delay (about 24.8 days): a later end is not scheduled */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One `text/event-stream` answer: frames written to the sink (`id:`, `event:`, `data:` lines;
 * comments), a keep-alive comment on a timer, and an end, once, whoever ends it.
 */
export class SseConnection {
  private closedBy?: SseCloseReason;
  private readonly keepAlive: NodeJS.Timeout;
  private expiry?: NodeJS.Timeout;
  private readonly closeListeners: ((reason: SseCloseReason) => void)[] = [];

  constructor(
    private readonly sink: SseSink,
    private readonly options: SseConnectionOptions = DEFAULT_SSE_OPTIONS,
  ) {
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), options.keepAliveMs);
    this.keepAlive.unref();
  }

  /**
   * Ends the stream when the caller's token expires (`: token expired`, then the end), as its
   * requests would then be refused: a stream outlives no credential.
   */
  endAt(expiresAt: Date, now: Date = new Date()): void {
    const ms = expiresAt.getTime() - now.getTime();
    if (ms > MAX_TIMER_MS) return;
    this.expiry = setTimeout(
      () => {
        this.comment('token expired');
        this.close('token-expired');
      },
      Math.max(0, ms),
    );
    this.expiry.unref();
  }

  get closed(): boolean {
    return this.closedBy !== undefined;
  }

  get closeReason(): SseCloseReason | undefined {
    return this.closedBy;
  }

  onClose(listener: (reason: SseCloseReason) => void): void {
    if (this.closedBy) listener(this.closedBy);
    else this.closeListeners.push(listener);
  }

  /** an event: `id` (when given), `event` and one `data` line of JSON */
  send(event: string, data: unknown, id?: number): void {
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    // JSON.stringify escapes line breaks inside strings, so the data is one line
    this.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** a comment line (`: text`), which clients ignore */
  comment(text: string): void {
    this.write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
  }

  /** `retry:`: how long an EventSource waits before it reconnects */
  retry(ms: number): void {
    this.write(`retry: ${ms}\n\n`);
  }

  /**
   * Resolves once at most half of `maxBufferedBytes` waits for the client (at once if so), or
   * when the connection closes: a client catching up on the log is sent it at its own pace
   * rather than cut for reading slower than the store answers.
   */
  writable(): Promise<void> {
    if (this.closedBy || this.sink.writableLength <= this.options.maxBufferedBytes / 2) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.sink.removeListener('drain', done);
        resolve();
      };
      this.sink.once('drain', done);
      this.onClose(done);
    });
  }

  /** Ends the answer (a slow client's connection is cut: what it has not read is dropped). */
  close(reason: SseCloseReason): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    clearInterval(this.keepAlive);
    clearTimeout(this.expiry);
    if (reason === 'slow-client') this.sink.destroy();
    else if (reason !== 'client') this.sink.end();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  private write(frame: string): void {
    if (this.closedBy) return;
    this.sink.write(frame);
    if (this.sink.writableLength > this.options.maxBufferedBytes) this.close('slow-client');
  }
}
