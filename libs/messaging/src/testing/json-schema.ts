/**
 * A JSON Schema (draft-07) validator for the keywords our contracts use, for tests. ajv is
 * not a dependency of this project; this covers `contracts/` exactly, and refuses a schema
 * that uses any other keyword rather than silently ignoring it (so a new keyword in a
 * contract fails the suite until it is supported here, or ajv replaces this file).
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples', 'definitions', '$comment']);
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'maxLength',
  'items',
  'minItems',
]);

const FORMATS: Record<string, (value: string) => boolean> = {
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'date-time': (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
};

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Throws when the schema (or a sub-schema) uses a keyword this validator does not know. */
export const assertSupportedSchema = (schema: JsonSchema, path = '#'): void => {
  for (const [keyword, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword))
      throw new Error(`${path}: unsupported JSON Schema keyword "${keyword}"`);
    if (keyword === 'properties' || keyword === 'definitions')
      for (const [name, sub] of Object.entries(value as Record<string, JsonSchema>))
        assertSupportedSchema(sub, `${path}/${keyword}/${name}`);
    if ((keyword === 'items' || keyword === 'additionalProperties') && typeof value === 'object')
      assertSupportedSchema(value as JsonSchema, `${path}/${keyword}`);
    if (keyword === 'format' && !(String(value) in FORMATS)) throw new Error(`${path}: unsupported format "${value}"`);
  }
};

/** The validation errors of `value` against `schema` (empty when valid), each with its JSON path. */
export const validateJson = (schema: JsonSchema, value: unknown): string[] => {
  assertSupportedSchema(schema);
  const errors: string[] = [];
  const resolve = (ref: string): JsonSchema => {
    const match = /^#\/definitions\/([^/]+)$/.exec(ref);
    const target = match ? (schema.definitions as Record<string, JsonSchema> | undefined)?.[match[1]] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
  const check = (s: JsonSchema, v: unknown, at: string): void => {
    const fail = (message: string): void => {
      errors.push(`${at}: ${message}`);
    };
    if (typeof s.$ref === 'string') check(resolve(s.$ref), v, at);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => matchesType(v, t))) {
        fail(`is ${typeOf(v)}, expected ${types.join(' or ')}`);
        return;
      }
    }
    if (s.const !== undefined && !deepEqual(v, s.const)) fail(`must be ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v)))
      fail(`${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    if (typeof v === 'string') {
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail(`does not match ${s.pattern}`);
      if (typeof s.format === 'string' && !FORMATS[s.format](v)) fail(`is not a ${s.format}`);
      if (typeof s.minLength === 'number' && v.length < s.minLength) fail(`is shorter than ${s.minLength}`);
      if (typeof s.maxLength === 'number' && v.length > s.maxLength) fail(`is longer than ${s.maxLength}`);
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) fail(`is less than ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) fail(`is more than ${s.maximum}`);
      if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum)
        fail(`is not more than ${s.exclusiveMinimum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`has fewer than ${s.minItems} items`);
      if (s.items !== undefined) v.forEach((item, i) => check(s.items as JsonSchema, item, `${at}[${i}]`));
    }
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (s.required ?? []) as string[]) if (!(name in object)) fail(`misses required "${name}"`);
      for (const [name, item] of Object.entries(object)) {
        if (name in properties) check(properties[name], item, `${at}.${name}`);
        else if (s.additionalProperties === false) fail(`has "${name}", which the schema does not allow`);
        else if (typeof s.additionalProperties === 'object')
          check(s.additionalProperties as JsonSchema, item, `${at}.${name}`);
      }
    }
  };
  check(schema, value, '$');
  return errors;
};
