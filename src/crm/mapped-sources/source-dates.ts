import { sourceText } from '../../../libs/byod';

/**
 * A timestamp as a customer's database gives it: MySQL as text (the pools use `dateStrings`, so no
 * driver guesses a zone), PostgreSQL as a Date. Columns without a zone hold the app server's local
 * time, as the drivers write a Date there. A value no calendar has (MySQL's zero date) reads as
 * null: legacy tables use it for "none". Dates (`YYYY-MM-DD`) are the lib's `sourceDate`.
 */
export function sourceTimestamp(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(sourceText(value));
  return Number.isNaN(date.getTime()) ? null : date;
}
