import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A plain object with at most `maxKeys` entries whose keys match `keyPattern` and whose values
 * pass `isValue`: class-validator has no built-in for maps with free keys.
 */
export function IsRecordOf(
  isValue: (value: unknown) => boolean,
  rule: string,
  maxKeys: number,
  keyPattern = /^.{1,128}$/s,
  options?: ValidationOptions,
) {
  return ValidateBy(
    {
      name: 'isRecordOf',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= maxKeys &&
          Object.entries(value).every(([key, inner]) => keyPattern.test(key) && isValue(inner)),
        defaultMessage: (args) => `${args?.property} must be an object of at most ${maxKeys} entries: ${rule}`,
      },
    },
    options,
  );
}

export const isShortString = (value: unknown): boolean => typeof value === 'string' && value.length > 0 && value.length <= 128;
