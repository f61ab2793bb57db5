import { daysOfMonthThrough, MIB, monthlyCallsRefusal, QuotaFigures, secondsUntilNextMonth, storageRefusal } from './quota-figures';

const figures = (overrides: Partial<QuotaFigures> = {}): QuotaFigures => ({
  planDisplayName: 'Growth',
  storageMb: null,
  storageBytes: null,
  maxApiCallsPerMonth: null,
  month: '2026-12',
  apiCallsCounted: 0,
  ...overrides,
});

describe('secondsUntilNextMonth', () => {
  it('counts to the first of next month at 00:00 UTC, across a year end', () => {
    expect(secondsUntilNextMonth(new Date('2026-12-31T23:59:00Z'))).toBe(60);
    expect(secondsUntilNextMonth(new Date('2026-02-28T00:00:00Z'))).toBe(86_400);
  });

  it('rounds a part second up and is never zero, so a client never retries at once', () => {
    expect(secondsUntilNextMonth(new Date('2026-11-30T23:59:59.500Z'))).toBe(1);
    expect(secondsUntilNextMonth(new Date('2026-12-01T00:00:00Z'))).toBe(31 * 86_400);
  });
});

describe('daysOfMonthThrough', () => {
  it('lists the month’s days from the first to the day given', () => {
    expect(daysOfMonthThrough('2026-12-03')).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(daysOfMonthThrough('2026-02-28')).toHaveLength(28);
  });
});

describe('monthlyCallsRefusal', () => {
  const now = new Date('2026-12-31T23:00:00Z');

  it('serves the quota’s last call and refuses the next, naming the quota, the use and when it starts again', () => {
    expect(monthlyCallsRefusal(figures({ maxApiCallsPerMonth: 10 }), 9, now)).toBeNull();
    const refusal = monthlyCallsRefusal(figures({ maxApiCallsPerMonth: 10 }), 10, now)!;
    expect(refusal.getStatus()).toBe(429);
    expect(refusal.retryAfterSeconds).toBe(3600);
    expect(refusal.getResponse()).toEqual({
      message:
        'Quota maxApiCallsPerMonth reached: the Growth plan allows 10 API calls per month and this tenant has made 10 in 2026-12; ' +
        'calls are served again from the first of next month (UTC), in 3600 seconds',
      details: { quota: 'maxApiCallsPerMonth', limit: 10, used: 10, month: '2026-12' },
    });
  });

  it('never refuses a plan without a monthly quota', () => {
    expect(monthlyCallsRefusal(figures(), 1e9, now)).toBeNull();
  });
});

describe('storageRefusal', () => {
  it('refuses at and over the quota, naming the limit and the measured use in MiB', () => {
    expect(storageRefusal(figures({ storageMb: 2, storageBytes: 2 * MIB - 1 }))).toBeNull();
    const refusal = storageRefusal(figures({ storageMb: 2, storageBytes: 2 * MIB }))!;
    expect(refusal.getStatus()).toBe(409);
    expect(refusal.getResponse()).toMatchObject({ details: { quota: 'storageMb', limit: 2, used: 2 } });
    expect(storageRefusal(figures({ storageMb: 1, storageBytes: 1.5 * MIB }))!.getResponse()).toMatchObject({
      message: expect.stringMatching(/^Quota storageMb reached: the Growth plan allows 1 MiB and this tenant's data measured 1.5 MiB/),
    });
  });

  it('refuses nothing before a first measurement, or without a storage quota', () => {
    expect(storageRefusal(figures({ storageMb: 1 }))).toBeNull();
    expect(storageRefusal(figures({ storageBytes: 10 * MIB }))).toBeNull();
  });
});
