import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldErrorDto } from './error-response.dto';

/** Flattens nested class-validator errors into `{ field: 'a.b[0].c', problems }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    // class-validator starts each message with the bare property name; nested ones get their full path.
    const problems = Object.values(error.constraints ?? {}).map((problem) =>
      field !== error.property && problem.startsWith(`${error.property} `) ? `${field}${problem.slice(error.property.length)}` : problem,
    );
    const own = problems.length > 0 ? [{ field, problems }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const details = flattenValidationErrors(errors);
  const summary = details.map((detail) => detail.problems.join(', ')).join('; ');
  return new BadRequestException({ message: `Validation failed: ${summary}`, details });
}
