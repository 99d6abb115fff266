import fc from 'fast-check';
import { findUnstorableText, jsonNestingExceeds } from './request-guards';

describe('request guards', () => {
  describe('jsonNestingExceeds', () => {
    it('counts objects and arrays inside one another, not side by side', () => {
      expect(jsonNestingExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
      expect(jsonNestingExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
      expect(jsonNestingExceeds('[[1],[2],[3],[4],[5]]', 2)).toBe(false);
    });

    it('skips brackets inside strings, escaped quotes included', () => {
      expect(jsonNestingExceeds(JSON.stringify({ a: '[[[[{{{{', b: 'x\\"[[[[' }), 1)).toBe(false);
    });

    it('agrees with the depth of any JSON value', () => {
      const depth = (v: unknown): number =>
        v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, max) => {
          expect(jsonNestingExceeds(JSON.stringify(value), max)).toBe(depth(value) > max);
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  });

  describe('findUnstorableText', () => {
    it('names values and keys with a NUL or an unpaired surrogate, nested as a.0.b', () => {
      const found = findUnstorableText({
        ok: 'fine 😀',
        a: [{ b: 'x\u0000' }],
        ['k\ud800']: 1,
        c: { d: '\udc00y' },
      });
      expect(found.map((f) => f.field).sort()).toEqual(['a.0.b', 'c.d', 'k\ud800']);
    });

    it('finds nothing in well-formed text, and is not deep-recursive', () => {
      expect(findUnstorableText({ a: 'é', b: ['😀'], c: null, d: 1 })).toEqual([]);
      let deep: unknown = 'x\u0000';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      expect(findUnstorableText(deep)).toHaveLength(1);
    });

    it('reports at most 20 fields', () => {
      expect(findUnstorableText(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
    });
  });
});
