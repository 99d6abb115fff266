import { applyDecorators, BadRequestException, ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy } from 'class-validator';

const flatten = (errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** At most this many failing fields are listed in one 400 (a body of 20,000 unknown properties is not echoed back). */
export const MAX_LISTED_FIELDS = 50;

/** A 400 problem listing the failing fields (nested ones as `impact.scope`), the first {@link MAX_LISTED_FIELDS}. */
export const validationExceptionFactory = (errors: ValidationError[]) => {
  const all = flatten(errors);
  const fields = all.slice(0, MAX_LISTED_FIELDS);
  const more = all.length - fields.length;
  return new BadRequestException({
    code: 'HTTP.VALIDATION_FAILED',
    message: fields.map((f) => f.messages.join(', ')).join('; ') + (more > 0 ? `; and ${more} more fields` : ''),
    errors: fields,
  });
};

/**
 * A global log position in a query (`?after=`, a write's `X-Log-Position` or a page's `next`):
 * decimal digits only, at most Number.MAX_SAFE_INTEGER. `1e99`, `0x10`, `1.5` or `-1` are a 400
 * naming the parameter, never a number the database cannot take.
 */
export const IsLogPosition = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'isLogPosition',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a log position: a decimal integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
        ),
      },
    }),
  );

const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant in a query (`from`, `to`, `asOf`) the store can compare with: from year 1 to year
 * 9999 once in UTC (PostgreSQL has no year 0, and `0001-01-01T00:00:00+01:00` is in year 0).
 * Only checks a value that parses; its format is checked by the parameter's other rules.
 */
export const IsInstantInRange = () =>
  ValidateBy({
    name: 'isInstantInRange',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return true;
        const at = Date.parse(value);
        return Number.isNaN(at) || (at >= EARLIEST_INSTANT && at <= LATEST_INSTANT);
      },
      defaultMessage: buildMessage(
        (each) => `${each}$property must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z`,
      ),
    },
  });
