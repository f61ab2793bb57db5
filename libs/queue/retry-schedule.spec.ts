import { parseRetrySchedule, retryDelayAfter } from './retry-schedule';

describe('retry schedule', () => {
  it('reads seconds, minutes and hours', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h')).toEqual([5, 300, 1800, 7200]);
  });

  it('refuses a malformed schedule', () => {
    for (const bad of ['', '5', '5d', '5s,', '5s;5m', '-5s']) expect(() => parseRetrySchedule(bad)).toThrow('not a retry schedule');
  });

  it('gives the wait after each failed attempt and none after the last try', () => {
    const schedule = [5, 300];
    expect([1, 2, 3].map((attempt) => retryDelayAfter(schedule, attempt))).toEqual([5, 300, null]);
  });
});
