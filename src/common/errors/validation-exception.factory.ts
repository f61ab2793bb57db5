import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldErrorDto } from './error-response.dto';

/** Flattens nested class-validator errors into `{ field: 'a.b[0].c', problems }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const details = flattenValidationErrors(errors);
  const summary = details.map((detail) => detail.problems.join(', ')).join('; ');
  return new BadRequestException({ message: `Validation failed: ${summary}`, details });
}
