/** The measures a usage day has, by their API name, each with the column (or expression) it sorts the fleet view by. */
export const USAGE_MEASURES = {
  apiCalls: 'd.api_calls',
  writes: 'd.writes',
  activeUsers: 'd.active_users',
  // A day not measured yet sorts as zero, so the keyset of the fleet view never meets a null.
  storageBytes: 'coalesce(d.storage_bytes, 0)',
  rows: 'coalesce(d.total_rows, 0)',
} as const;

export type UsageMeasure = keyof typeof USAGE_MEASURES;

export const USAGE_MEASURE_NAMES = Object.keys(USAGE_MEASURES) as UsageMeasure[];
