import { applyDecorators, BadRequestException, ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy } from 'class-validator';

const flatten = (errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** A 400 problem listing every failing field (nested ones as `impact.scope`). */
export const validationExceptionFactory = (errors: ValidationError[]) => {
  const fields = flatten(errors);
  return new BadRequestException({
    code: 'HTTP.VALIDATION_FAILED',
    message: fields.map((f) => f.messages.join(', ')).join('; '),
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
