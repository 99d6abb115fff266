import { validateJson, type JsonSchema } from './json-schema';

const schema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { const: 'A' },
    tier: { enum: ['P1', 'P2'] },
    who: { $ref: '#/definitions/hex' },
    n: { type: 'integer', minimum: 1, maximum: 5 },
    amount: { type: 'number', exclusiveMinimum: 0 },
    at: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, minItems: 1 },
    maybe: { type: ['string', 'null'], pattern: '^x' },
    nested: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'], additionalProperties: false },
  },
  required: ['id', 'kind'],
  additionalProperties: false,
  definitions: { hex: { type: 'string', pattern: '^[0-9a-f]{4}$' } },
};

const valid = {
  id: '0b5f8e0c-4f7e-4a55-9f43-3f0e4c1d2a01',
  kind: 'A',
  tier: 'P2',
  who: 'beef',
  n: 3,
  amount: 0.5,
  at: '2026-03-02T09:30:00.000Z',
  tags: ['sso'],
  maybe: null,
  nested: { a: true },
};

describe('validateJson (the draft-07 subset of contracts/)', () => {
  it('accepts a valid value', () => {
    expect(validateJson(schema, valid)).toEqual([]);
  });

  it.each([
    ['a missing required field', { ...valid, id: undefined }, 'misses required "id"'],
    ['an extra field', { ...valid, extra: 1 }, 'has "extra"'],
    ['a wrong const', { ...valid, kind: 'B' }, 'must be "A"'],
    ['a value outside the enum', { ...valid, tier: 'P9' }, 'is not one of'],
    ['a $ref target violated', { ...valid, who: 'BEEF' }, '$.who: does not match'],
    ['a non-integer', { ...valid, n: 2.5 }, 'expected integer'],
    ['a number too large', { ...valid, n: 6 }, 'is more than 5'],
    ['an exclusive minimum reached', { ...valid, amount: 0 }, 'is not more than 0'],
    ['a bad date-time', { ...valid, at: '2026-13-45T99:00:00Z' }, 'is not a date-time'],
    ['a bad uuid', { ...valid, id: 'not-a-uuid' }, 'is not a uuid'],
    ['a bad array item', { ...valid, tags: ['SSO'] }, '$.tags[0]: does not match'],
    ['too few items', { ...valid, tags: [] }, 'fewer than 1'],
    ['a wrong type in a union', { ...valid, maybe: 3 }, 'expected string or null'],
    ['a pattern on the string branch of a union', { ...valid, maybe: 'y' }, '$.maybe: does not match'],
    ['an extra nested field', { ...valid, nested: { a: true, b: 1 } }, '$.nested: has "b"'],
  ])('reports %s', (_what, value, message) => {
    const errors = validateJson(schema, JSON.parse(JSON.stringify(value)));
    expect(errors.join('\n')).toContain(message);
  });

  it('refuses a schema with a keyword it does not implement, rather than ignoring it', () => {
    expect(() => validateJson({ type: 'object', oneOf: [] }, {})).toThrow('unsupported JSON Schema keyword "oneOf"');
    expect(() => validateJson({ properties: { a: { type: 'string', format: 'email' } } }, {})).toThrow(
      'unsupported format',
    );
  });
});
