import { utcDay } from './utc-day';

describe('utcDay', () => {
  afterEach(() => jest.useRealTimers());

  it('names the UTC day of a given instant, whatever the local time zone', () => {
    expect(utcDay(new Date('2026-12-31T23:59:59.999-05:00'))).toBe('2027-01-01');
  });

  it('answers the current UTC day, and the next one from midnight UTC on', () => {
    jest.useFakeTimers({ now: new Date('2026-12-31T23:59:59.999Z') });
    expect(utcDay()).toBe('2026-12-31');
    jest.setSystemTime(new Date('2027-01-01T00:00:00.000Z'));
    expect(utcDay()).toBe('2027-01-01');
  });

  it('follows a clock set back to an earlier day', () => {
    jest.useFakeTimers({ now: new Date('2026-06-02T10:00:00Z') });
    expect(utcDay()).toBe('2026-06-02');
    jest.setSystemTime(new Date('2026-06-01T10:00:00Z'));
    expect(utcDay()).toBe('2026-06-01');
  });
});
