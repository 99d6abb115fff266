/**
 * The live feed: GET /v1/events/stream read with fetch and a stream reader (not EventSource,
 * which cannot send the bearer token in a header, and a token in the URL would end up in
 * logs). One connection for the tab, shared by the screens; it resumes after a drop from the
 * last position it saw (Last-Event-ID), after a short backoff.
 */
import { session } from './session';

export interface LiveCaseEvent {
  readonly position: number;
  readonly caseId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

type Listener = {
  onEvent?: (e: LiveCaseEvent) => void;
  /** the read models have caught up to this position: a refetch with ?after= sees it */
  onProgress?: (position: number) => void;
  onState?: (connected: boolean) => void;
};

const listeners = new Set<Listener>();
let controller: AbortController | undefined;
let lastId: string | undefined;
let connected = false;
let retry: ReturnType<typeof setTimeout> | undefined;

const setConnected = (value: boolean) => {
  connected = value;
  listeners.forEach((l) => l.onState?.(value));
};

/** parses one SSE message block (RFC: lines `field: value`, comments start with `:`) */
export const parseMessage = (block: string): { id?: string; event: string; data: string } | undefined => {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join('\n') };
};

const dispatch = (message: { id?: string; event: string; data: string }) => {
  if (message.id) lastId = message.id;
  const payload = JSON.parse(message.data) as Record<string, unknown>;
  if (message.event === 'case-event') {
    listeners.forEach((l) => l.onEvent?.(payload as unknown as LiveCaseEvent));
  } else if (message.event === 'progress') {
    listeners.forEach((l) => l.onProgress?.(payload.position as number));
  }
};

const connect = async (delay: number): Promise<void> => {
  const token = session.token();
  if (!token) return;
  controller = new AbortController();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastId) headers['Last-Event-ID'] = lastId;
  try {
    const res = await fetch('/v1/events/stream', { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    setConnected(true);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const message = parseMessage(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (message) dispatch(message);
      }
    }
    delay = 500;
  } catch {
    if (controller?.signal.aborted) return;
  }
  setConnected(false);
  if (controller?.signal.aborted) return;
  retry = setTimeout(() => void connect(Math.min(delay * 2, 15_000)), delay);
};

export const live = {
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    listener.onState?.(connected);
    if (!controller || controller.signal.aborted) void connect(500);
    // the connection stays while the person is signed in, so moving between screens loses nothing
    return () => void listeners.delete(listener);
  },
  stop(): void {
    clearTimeout(retry);
    controller?.abort();
    controller = undefined;
    setConnected(false);
  },
};

session.onChange(() => {
  // a new person: a new stream from the head of the log
  live.stop();
  lastId = undefined;
  if (listeners.size > 0 && session.token()) void connect(500);
});
