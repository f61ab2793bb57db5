import type { components } from '../../../packages/client';
import { api, call } from './client';

export type ProvisioningOverview = components['schemas']['ProvisioningOverviewDto'];
export type ProvisioningJob = components['schemas']['ProvisioningJobDto'];

export const provisioningOverview = () => call(() => api.GET('/control/provisioning'));

/** Work still queued, running or waiting for a retry: the page keeps asking. */
export const hasPendingWork = (overview: ProvisioningOverview) =>
  overview.queueDepth > 0 || overview.running.length > 0 || overview.retrying.length > 0;

/** The documented per-state counts (`jobs`); absent states are 0. */
export function jobsIn(overview: ProvisioningOverview, state: string): number {
  return (overview.jobs as Record<string, number>)[state] ?? 0;
}
