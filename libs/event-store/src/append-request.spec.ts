import fc from 'fast-check';
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

  it('keeps exactly what JSON.stringify serialises, as text and as a plain value, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!text.includes('\\u0000'));
        const { data, values } = toAppendRequest('s', [{ type: 'T', data: value }], 0);
        expect(data).toEqual([text]);
        expect(values[0].data).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('serialises values as JSON.stringify does: toJSON with its key, boxed primitives, holes, undefined', () => {
    const seenKeys: string[] = [];
    const shared = { x: 1 };
    const data = {
      at: new Date('2026-03-02T09:30:00.5Z'),
      custom: { toJSON: (key: string) => (seenKeys.push(key), `custom@${key}`) },
      boxed: [Object(1), Object('s'), Object(false)],
      holes: [1, , 3], // eslint-disable-line no-sparse-arrays
      undefinedInArray: [undefined],
      dropped: undefined,
      negativeZero: -0,
      twice: [shared, shared],
    };
    const expected = JSON.stringify(data);
    seenKeys.length = 0;
    const { data: json, values } = toAppendRequest('s', [{ type: 'T', data }], 0);
    expect(seenKeys).toEqual(['custom']); // called once, with its key, as JSON.stringify calls it
    expect(json).toEqual([expected]);
    expect(values[0].data).toEqual(JSON.parse(expected));
  });

  it('keeps a "__proto__" key as a key, as JSON.parse made it', () => {
    const data: unknown = JSON.parse('{"__proto__": {"a": 1}, "b": 2}');
    const { data: json, values } = toAppendRequest('s', [{ type: 'T', data }], 0);
    expect(json).toEqual(['{"__proto__":{"a":1},"b":2}']);
    expect(Object.keys(values[0].data as object)).toEqual(['__proto__', 'b']);
  });
});
