import { waitFor } from '@app/testing';
import { SseConnection, type SseCloseReason, type SseSink } from './sse-connection';

/** a sink that keeps what it is given; `read()` is the client taking it (nothing is read otherwise) */
class FakeSink implements SseSink {
  readonly frames: string[] = [];
  private unread = 0;
  ended = false;
  destroyed = false;

  get writableLength(): number {
    return this.unread;
  }

  write(chunk: string): boolean {
    this.frames.push(chunk);
    this.unread += Buffer.byteLength(chunk);
    return true;
  }

  private readonly drainListeners = new Set<() => void>();

  read(): void {
    this.unread = 0;
    for (const listener of [...this.drainListeners]) listener();
  }

  once(_event: 'drain', listener: () => void): void {
    this.drainListeners.add(listener);
  }

  removeListener(_event: 'drain', listener: () => void): void {
    this.drainListeners.delete(listener);
  }

  get listening(): number {
    return this.drainListeners.size;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

const open = (options = { keepAliveMs: 60_000, maxBufferedBytes: 10_000 }) => {
  const sink = new FakeSink();
  const connection = new SseConnection(sink, options);
  const reasons: SseCloseReason[] = [];
  connection.onClose((reason) => reasons.push(reason));
  return { sink, connection, reasons };
};

describe('SseConnection', () => {
  it('writes events as id, event and one data line of JSON, and comments', () => {
    const { sink, connection } = open();
    connection.comment('connected');
    connection.send('case-event', { position: 7, data: { message: 'two\nlines' } }, 7);
    connection.send('progress', { position: 7 });
    expect(sink.frames).toEqual([
      ': connected\n\n',
      'id: 7\nevent: case-event\ndata: {"position":7,"data":{"message":"two\\nlines"}}\n\n',
      'event: progress\ndata: {"position":7}\n\n',
    ]);
    connection.close('client');
  });

  it('sends a keep-alive comment on its timer, until it is closed', async () => {
    const { sink, connection } = open({ keepAliveMs: 10, maxBufferedBytes: 10_000 });
    await waitFor(
      () => sink.frames.filter((f) => f === ': keep-alive\n\n').length >= 2,
      () => `frames: ${JSON.stringify(sink.frames)}`,
    );
    connection.close('client');
    const count = sink.frames.length;
    // the timer is cleared: a write after the close is dropped too
    connection.comment('after');
    expect(sink.frames).toHaveLength(count);
  });

  it('cuts a client that does not read once more than maxBufferedBytes wait for it', () => {
    // each frame is 343 bytes: three wait within the limit, the fourth goes over it
    const { sink, connection, reasons } = open({ keepAliveMs: 60_000, maxBufferedBytes: 1_200 });
    const data = { text: 'x'.repeat(300) };
    for (let i = 0; i < 3; i++) connection.send('case-event', data, i + 1);
    expect(connection.closed).toBe(false);
    connection.send('case-event', data, 4);
    expect(connection.closeReason).toBe('slow-client');
    expect(reasons).toEqual(['slow-client']);
    expect(sink.destroyed).toBe(true);
    connection.send('case-event', data, 5);
    expect(sink.frames).toHaveLength(4);
  });

  it('keeps a client that reads, however much goes through', () => {
    const { sink, connection } = open({ keepAliveMs: 60_000, maxBufferedBytes: 1_000 });
    for (let i = 0; i < 100; i++) {
      connection.send('case-event', { text: 'x'.repeat(300) }, i + 1);
      sink.read();
    }
    expect(connection.closed).toBe(false);
    connection.close('client');
  });

  it("ends the stream when the caller's token expires, saying so", async () => {
    const { sink, connection, reasons } = open();
    connection.endAt(new Date(Date.now() + 20));
    await waitFor(
      () => connection.closed,
      () => `frames ${JSON.stringify(sink.frames)}`,
    );
    expect(reasons).toEqual(['token-expired']);
    expect(sink.frames).toEqual([': token expired\n\n']);
    expect(sink.ended).toBe(true);
  });

  it('does not end a stream whose token outlives any timer, nor one closed before its token expires', async () => {
    const far = open();
    far.connection.endAt(new Date(Date.now() + 40 * 86_400_000));
    expect(far.connection.closed).toBe(false);
    far.connection.close('client');
    const early = open();
    early.connection.endAt(new Date(Date.now() + 10));
    early.connection.close('client');
    // the expiry was cleared with the close: nothing is written after it
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(early.sink.frames).toEqual([]);
    expect(early.reasons).toEqual(['client']);
  });

  it('writable(): at once while half the limit or less waits, else once the client has read', async () => {
    const { sink, connection } = open({ keepAliveMs: 60_000, maxBufferedBytes: 1_200 });
    await connection.writable();
    connection.send('case-event', { text: 'x'.repeat(300) }, 1);
    connection.send('case-event', { text: 'x'.repeat(300) }, 2);
    let ready = false;
    const waiting = connection.writable().then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    sink.read();
    await waiting;
    expect(sink.listening).toBe(0);
    // a close ends the wait too
    connection.send('case-event', { text: 'x'.repeat(300) }, 3);
    connection.send('case-event', { text: 'x'.repeat(300) }, 4);
    const closing = connection.writable();
    connection.close('client');
    await closing;
  });

  it('ends the answer on shutdown, once, whoever else closes it after', () => {
    const { sink, connection, reasons } = open();
    connection.close('shutdown');
    connection.close('client');
    expect(sink.ended).toBe(true);
    expect(sink.destroyed).toBe(false);
    expect(reasons).toEqual(['shutdown']);
    const late: SseCloseReason[] = [];
    connection.onClose((reason) => late.push(reason));
    expect(late).toEqual(['shutdown']);
  });
});
