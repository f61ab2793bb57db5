import type { components } from '../../../packages/client';
import { api, call } from './client';

export type MigrationRun = components['schemas']['FleetMigrationRunDto'];
export type MigrationOptions = components['schemas']['StartFleetMigrationDto'];

export const listMigrationRuns = () => call(() => api.GET('/control/migrations'));
export const getMigrationRun = (id: string) => call(() => api.GET('/control/migrations/{id}', { params: { path: { id } } }));
export const startMigrationRun = (body: MigrationOptions) => call(() => api.POST('/control/migrations', { body }));

/** A run the runner is still working on: the page keeps asking. */
export const isUnfinished = (run: MigrationRun) => run.status === 'queued' || run.status === 'running';

/** The counts object is documented as databases per status; absent statuses are 0. */
export function countOf(run: MigrationRun, status: string): number {
  return (run.counts as Record<string, number>)[status] ?? 0;
}
