import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Printable single-line text: trimmed, no control characters, bounded length. */
export function IsDisplayText(maxLength: number, minLength = 1) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    MinLength(minLength),
    MaxLength(maxLength),
    Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' }),
  );
}

/** Lower-cased, trimmed e-mail input (validated separately with IsEmail). */
export const NormalizeEmail = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/** An account's e-mail: trimmed, lower-cased, valid, at most 254 characters. */
export const IsAccountEmail = () => applyDecorators(NormalizeEmail(), IsEmail(), MaxLength(254));

/** A password to set: 12 to 256 characters. */
export const IsNewPassword = () => applyDecorators(IsString(), MinLength(12), MaxLength(256));

/** A calendar date, YYYY-MM-DD, that exists (2027-02-30 does not). */
export const IsDateOnly = () =>
  applyDecorators(IsDateString({ strict: true }), Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' }));

/** An ISO 4217 currency code such as EUR. */
export const IsCurrencyCode = () => Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as EUR' });

/** A query-string flag: `true` or `false` (query values arrive as text). */
export const IsQueryFlag = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean(),
  );
