import { ValidateBy, ValidationArguments } from 'class-validator';

/*
 * DTO decorators run when their class is defined, which can be before the domain modules have
 * registered their declarations: these read the catalog when a request is validated instead.
 */

/** `@IsIn(values, { each: true })` over a list read at validation time; the message lists the values, e.g. "each module must be one of: ...". */
export function IsEachOneOf(values: () => readonly string[], noun: string): PropertyDecorator {
  return ValidateBy(
    { name: 'isIn', validator: { validate: (value: unknown) => values().some((allowed) => allowed === value) } },
    { each: true, message: () => `each ${noun} must be one of: ${values().join(', ')}` },
  );
}

/** `@ArrayMaxSize(max)` with a bound read at validation time. */
export function ArrayMaxSizeOf(max: () => number): PropertyDecorator {
  return ValidateBy({
    name: 'arrayMaxSize',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.length <= max(),
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must contain no more than ${max()} elements`,
    },
  });
}
