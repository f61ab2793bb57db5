import { registerDecorator, ValidationArguments } from 'class-validator';

/** Later than the instant in `property` of the same object (when that one is valid: it reports its own problem). */
export function IsAfter(property: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAfter',
      target: target.constructor,
      propertyName,
      constraints: [property],
      options: { message: `$property must be after ${property}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const earlier = Date.parse(String((args.object as Record<string, unknown>)[property]));
          const later = Date.parse(String(value));
          return Number.isNaN(earlier) || Number.isNaN(later) || later > earlier;
        },
      },
    });
}

/** An IANA time zone name the runtime knows, such as Europe/Berlin. */
export function IsTimeZone() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an IANA time zone such as Europe/Berlin' },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || value.length > 64) return false;
          try {
            new Intl.DateTimeFormat(undefined, { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}
