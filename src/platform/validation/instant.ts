import { applyDecorators } from '@nestjs/common';
import { IsDateString, Matches } from 'class-validator';

/**
 * An ISO 8601 date-time with an explicit offset (`Z` or `+02:00`): without one it would be read
 * in the server's time zone, which says nothing about when something happens. Only the extended
 * calendar form JavaScript reads (2027-05-14T09:00:00.000+02:00): ISO's other forms (week dates,
 * basic format, signed years, comma fractions) pass a strict ISO check but are no Date.
 */
export const IsInstant = () =>
  applyDecorators(
    IsDateString({ strict: true }),
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
      message: '$property must be a date-time with an offset, such as 2027-05-14T09:00:00+02:00',
    }),
  );
