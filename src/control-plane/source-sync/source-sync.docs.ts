import { ApiOperationOptions } from '@nestjs/swagger';

/** What the control and tenant routes of the sync say about themselves (the same operations on both). */
export const SOURCE_SYNC_DOCS = {
  getSettings: { summary: 'The data source’s sync settings: autoSync, syncFrequencyMinutes and when the next background run is due' },
  setSettings: {
    summary: 'Set how often the data source is synced in the background (5 min to 24 h), or turn it off',
    description:
      'Changes neither the data source nor its revision. Audited. Each run raises the domain events of what changed in the customer’s system since the last one (README, Background sync).',
  },
  syncNow: {
    summary: 'Sync now: queue a run (202) that detects what changed in the customer’s system since the last run',
    description:
      'Answers the run. While a run of this source is queued, running or retrying, asking again answers that run: a source has one run at a time, on every process. The first run (and the first after the source changed) only takes a baseline.',
  },
  history: { summary: 'Sync runs of the data source, newest first: status, rows seen, changes found, the last error' },
} satisfies Record<string, ApiOperationOptions>;
