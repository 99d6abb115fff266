import { parseMessage } from './live';

describe('the console reads server-sent events (parseMessage)', () => {
  it('reads a case event: its id, its event name and its data', () => {
    expect(parseMessage('id: 66\nevent: case-event\ndata: {"position":66}')).toEqual({
      id: '66',
      event: 'case-event',
      data: '{"position":66}',
    });
  });

  it('joins data lines, drops one leading space only, and reads a field without a colon as empty', () => {
    expect(parseMessage('event: progress\ndata:  {"a":\ndata: 1}\nid')).toEqual({
      id: '',
      event: 'progress',
      data: ' {"a":\n1}',
    });
  });

  it('ignores comments (the keep-alive) and a block without data', () => {
    expect(parseMessage(': keep-alive')).toBeUndefined();
    expect(parseMessage(': connected\nevent: case-event')).toBeUndefined();
  });

  it('names an event without an event line "message", as EventSource does', () => {
    expect(parseMessage('data: x')).toEqual({ id: undefined, event: 'message', data: 'x' });
  });
});
