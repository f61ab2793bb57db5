/** The UTC calendar day of `at`, as `YYYY-MM-DD`: usage is counted per UTC day whatever the servers' time zone. */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}
