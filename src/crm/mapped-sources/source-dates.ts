import { sourceText } from '../../../libs/byod';

/**
 * Dates as a customer's database gives them: MySQL as text (the pools use `dateStrings`, so no
 * driver guesses a zone), PostgreSQL as a Date (a date-only column at local midnight). Columns
 * without a zone hold the app server's local time, as the drivers write a Date there. A value no
 * calendar has (MySQL's zero date `0000-00-00`) reads as null: legacy tables use it for "none".
 */
export function sourceDate(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const pad = (part: number) => String(part).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (value === null || value === undefined) return null;
  const text = sourceText(value).slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? text : null;
}

export function sourceTimestamp(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(sourceText(value));
  return Number.isNaN(date.getTime()) ? null : date;
}
