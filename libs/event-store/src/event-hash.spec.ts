import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalEventContent, canonicalJson } from './event-hash';

/** what the drivers and JSON.parse give, and the odd values a caller might pass */
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ stringUnit: 'grapheme' }),
    fc.jsonValue({ stringUnit: 'binary' }),
    fc.constantFrom(undefined, Infinity, -Infinity, -0, 1e21, 5e-7, Symbol('s')),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom('1', '10', '2', 'a', 'B', '__proto__', 'é', 'toJSON'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** the text, or that it throws (the library refuses NaN and infinities; so must the fast path) */
const outcome = (serialise: () => string | undefined): string | undefined => {
  try {
    return serialise();
  } catch {
    return 'throws';
  }
};

describe('canonical JSON (RFC 8785)', () => {
  it('is exactly the reference library’s text for any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(() => canonicalJson(v))).toBe(outcome(() => canonicalize(v) ?? ''));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a "__proto__" key that JSON.parse made, and refuses NaN as the library does', () => {
    const parsed: unknown = JSON.parse('{"b": 2, "__proto__": {"a": 1}}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"a":1},"b":2}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { z: 1, y: [false] }))).toBe(
      '{"y":[false],"z":1}',
    );
    expect(() => canonicalJson({ n: NaN })).toThrow();
    expect(() => canonicalize({ n: NaN })).toThrow();
  });

  it("gives an event's content as the library canonicalises the whole event", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        value,
        value,
        fc.date({ noInvalidDate: true }),
        (type, streamVersion, schemaVersion, data, metadata, at) => {
          const recordedAt = at.toISOString();
          const content = { type, streamVersion, schemaVersion, data, metadata, recordedAt };
          const expected = outcome(() => canonicalize(content) ?? '');
          expect(outcome(() => canonicalEventContent(content))).toBe(expected);
          expect(outcome(() => canonicalEventContent({ ...content, recordedAt: at }))).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
