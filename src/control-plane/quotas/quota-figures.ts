import { ConflictException } from '@nestjs/common';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';

export const MIB = 1024 * 1024;

/** A tenant's quotas that every /api request is checked against, and what it has used of them, as loaded from the control plane. */
export interface QuotaFigures {
  planDisplayName: string;
  /** The plan's storage quota in MiB; null: unlimited (and never for byod, whose data is not ours to count). */
  storageMb: number | null;
  /** Bytes the last usage measurement found; null: never measured. */
  storageBytes: number | null;
  maxApiCallsPerMonth: number | null;
  /** The UTC month the calls were counted in, `YYYY-MM`. */
  month: string;
  /** Calls of the month metered when the figures were loaded (this process's unflushed ones included). */
  apiCallsCounted: number;
}

/** `YYYY-MM` of a `YYYY-MM-DD` UTC day. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** The UTC days of `day`'s month up to and including it, `YYYY-MM-DD`. */
export function daysOfMonthThrough(day: string): string[] {
  const last = Number(day.slice(8, 10));
  return Array.from({ length: last }, (_, index) => `${monthOf(day)}-${String(index + 1).padStart(2, '0')}`);
}

/** Seconds from `now` until the first of next month, 00:00 UTC (when a monthly quota starts again). */
export function secondsUntilNextMonth(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * The 429 of a request past the monthly API-call quota: `used` counts the calls of the month
 * before this one, so the quota's last call is still served.
 */
export function monthlyCallsRefusal(figures: QuotaFigures, used: number, now: Date): TooManyRequestsException | null {
  const limit = figures.maxApiCallsPerMonth;
  if (limit === null || used < limit) return null;
  const retryAfter = secondsUntilNextMonth(now);
  return new TooManyRequestsException(
    `Quota maxApiCallsPerMonth reached: the ${figures.planDisplayName} plan allows ${limit} API calls per month ` +
      `and this tenant has made ${used} in ${figures.month}; calls are served again from the first of next month (UTC), in ${retryAfter} seconds`,
    retryAfter,
    { quota: 'maxApiCallsPerMonth', limit, used, month: figures.month },
  );
}

/** The 409 of a write while the last measurement found the tenant at or over its storage quota. */
export function storageRefusal(figures: QuotaFigures): ConflictException | null {
  const { storageMb, storageBytes } = figures;
  if (storageMb === null || storageBytes === null || storageBytes < storageMb * MIB) return null;
  const used = Math.round((storageBytes / MIB) * 100) / 100;
  return new ConflictException({
    message:
      `Quota storageMb reached: the ${figures.planDisplayName} plan allows ${storageMb} MiB and this tenant's data measured ${used} MiB; ` +
      'reading and deleting still work, changes and additions are refused until the data is smaller or the plan larger',
    details: { quota: 'storageMb', limit: storageMb, used },
  });
}
