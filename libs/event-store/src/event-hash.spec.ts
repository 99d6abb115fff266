import fc from 'fast-check';
import { eventHash, genesisHash, storedEventHash } from './event-hash';

describe('storedEventHash', () => {
  it("equals eventHash of the parsed event, whatever the stored text's key order and spacing", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        // every code point, lone surrogates too; or the printable ones
        fc.oneof(fc.jsonValue({ stringUnit: 'binary' }), fc.jsonValue({ stringUnit: 'grapheme' })),
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })),
        fc.date({ noInvalidDate: true }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.boolean(),
        (type, streamVersion, schemaVersion, data, metadata, at, previous, spaced) => {
          // as PostgreSQL prints jsonb (its own key order, a space after ':' and ','), or compact
          const stored = (value: unknown) => JSON.stringify(value, null, spaced ? 1 : undefined);
          const recordedAt = at.toISOString();
          const parsed = JSON.parse(stored(data)) as unknown; // -0 and the like as they come back
          expect(
            storedEventHash(previous, {
              type,
              streamVersion,
              schemaVersion,
              dataJson: stored(data),
              metadataJson: stored(metadata),
              recordedAt,
            }),
          ).toEqual(eventHash(previous, { type, streamVersion, schemaVersion, data: parsed, metadata, recordedAt }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('chains from the previous hash given: another one gives another hash', () => {
    const content = {
      type: 'Opened',
      streamVersion: 1,
      schemaVersion: 1,
      dataJson: '{"b": 2, "a": 1}',
      metadataJson: '{}',
      recordedAt: '2026-03-02T09:30:00.500Z',
    };
    const fromGenesis = storedEventHash(genesisHash('case-1'), content);
    expect(fromGenesis.toString('hex')).toBe(
      eventHash(genesisHash('case-1'), { ...content, data: { a: 1, b: 2 }, metadata: {} }).toString('hex'),
    );
    expect(storedEventHash(genesisHash('case-2'), content)).not.toEqual(fromGenesis);
  });
});
