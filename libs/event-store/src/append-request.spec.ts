import { toAppendRequest } from './append-request';
import { InvalidAppend } from './event-store.errors';

const refusal = (streamId: unknown, events: unknown, expected: unknown = 'no-stream'): InvalidAppend => {
  try {
    toAppendRequest(streamId, events, expected);
  } catch (error) {
    if (error instanceof InvalidAppend) return error;
    throw error;
  }
  throw new Error('expected InvalidAppend');
};

describe('toAppendRequest', () => {
  it('serialises a valid batch: ids lower-cased or generated, schema version 1 and empty metadata by default', () => {
    const request = toAppendRequest(
      'case-1',
      [
        {
          eventId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
          type: 'Opened',
          data: { at: new Date('2026-03-02T09:30:00Z') },
        },
        { type: 'Noted', schemaVersion: 2, data: null, metadata: { tenant: 'acme' } },
      ],
      'any',
    );
    expect(request).toEqual({
      streamId: 'case-1',
      expected: 'any',
      expectedVersion: null,
      eventIds: ['aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', expect.stringMatching(/^[0-9a-f-]{36}$/)],
      types: ['Opened', 'Noted'],
      schemaVersions: [1, 2],
      data: ['{"at":"2026-03-02T09:30:00.000Z"}', 'null'],
      metadata: ['{}', '{"tenant":"acme"}'],
      values: [
        { data: { at: '2026-03-02T09:30:00.000Z' }, metadata: {} },
        { data: null, metadata: { tenant: 'acme' } },
      ],
      idsGiven: true,
    });
    expect(toAppendRequest('s', [{ type: 'T', data: 1 }], 'no-stream')).toMatchObject({
      expectedVersion: 0,
      idsGiven: false,
    });
  });

  it.each([
    ['a stream id that is not a string', 42, [{ type: 'T', data: 1 }], /stream id is empty/],
    ['an event that is not an object', 's', ['Opened'], /event 1 is not an object/],
    ['metadata that is an array', 's', [{ type: 'T', data: 1, metadata: [] }], /metadata that is not an object/],
    ['a lone surrogate', 's', [{ type: 'T', data: { s: '\uD800x' } }], /lone surrogate at key "s"/],
    ['a key with a NUL', 's', [{ type: 'T', data: { 'a\u0000': 1 } }], /a key "a\\u0000" that jsonb cannot store/],
    [
      'Infinity in metadata',
      's',
      [{ type: 'T', data: 1, metadata: { n: Infinity } }],
      /metadata is not JSON-serialisable: it holds Infinity at key "n"/,
    ],
    ['a symbol', 's', [{ type: 'T', data: { s: Symbol('x') } }], /symbol at key "s"/],
    ['a very long stream id', 'x'.repeat(1001), [{ type: 'T', data: 1 }], /longer than 1000/],
  ])('refuses %s', (_name, streamId, events, message) => {
    expect(refusal(streamId, events).message).toMatch(message);
  });
});
