import { waitFor } from '@app/testing';

/** One server-sent event as a client parses it (`data` parsed as JSON). */
export interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A client of GET /v1/events/stream as the console reads it: `fetch` with the bearer token in
 * the Authorization header and a stream reader (not EventSource). It keeps every event and
 * comment it was sent, in order.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly status: number;
  readonly contentType: string;
  /** resolves when the server ends the stream (or the client closes it) */
  readonly ended: Promise<void>;
  private buffer = '';

  private constructor(
    response: Response,
    private readonly abort: AbortController,
  ) {
    this.status = response.status;
    this.contentType = response.headers.get('content-type') ?? '';
    this.ended = this.read(response);
  }

  static async open(baseUrl: string, token: string, options: { query?: string; lastEventId?: string } = {}) {
    const abort = new AbortController();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const response = await fetch(`${baseUrl}/v1/events/stream${options.query ? `?${options.query}` : ''}`, {
      headers,
      signal: abort.signal,
    });
    return new SseClient(response, abort);
  }

  /** the events of one kind */
  of(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  /** waits until the stream has joined the live log (the hub's `: live` comment) */
  live(): Promise<boolean> {
    return waitFor(
      () => this.comments.includes('live'),
      () => `no ": live" comment yet; comments ${JSON.stringify(this.comments)}`,
    );
  }

  close(): void {
    this.abort.abort();
  }

  private async read(response: Response): Promise<void> {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // aborted by close()
    }
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
    }
  }
}
