const DAY_MS = 86_400_000;

/** Today's answer and the instants it holds between: every metered request asks, and formatting a date each time shows in profiles. */
let today = { day: '', from: 0, until: 0 };

/** The UTC calendar day of `at` (default now), as `YYYY-MM-DD`: usage is counted per UTC day whatever the servers' time zone. */
export function utcDay(at?: Date): string {
  if (at) return at.toISOString().slice(0, 10);
  const now = Date.now();
  if (now < today.from || now >= today.until) {
    const from = now - (now % DAY_MS);
    today = { day: new Date(from).toISOString().slice(0, 10), from, until: from + DAY_MS };
  }
  return today.day;
}
