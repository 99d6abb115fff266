import { BadRequestException, ValidationError } from '@nestjs/common';

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
