import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ChangeFeedChannel, ControlPlaneFeed } from '../change-feed/control-plane-feed';

/**
 * Tells this process the moment any process commits a change to a byod tenant's data source (the
 * `data_source_changes` trigger of migration DataSourceRevisions), so a pool on replaced settings
 * is closed even where no request comes to notice it. After a reconnect of the feed, what changed
 * meanwhile is unknown: every listener rechecks everything.
 */
@Injectable()
export class DataSourceChangeFeed implements ChangeFeedChannel {
  readonly channel = 'data_source_changes';
  private readonly changeListeners: Array<(tenantId: string) => void> = [];
  private readonly resyncListeners: Array<() => void> = [];

  constructor(feed: ControlPlaneFeed) {
    feed.register(this);
  }

  onChanged(listener: (tenantId: string) => void): void {
    this.changeListeners.push(listener);
  }

  onAnythingMayHaveChanged(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  received(payload: string): void {
    if (!isUUID(payload)) throw new Error(`not a tenant id: ${payload.slice(0, 60)}`);
    for (const listener of this.changeListeners) listener(payload);
  }

  resync(): Promise<void> {
    for (const listener of this.resyncListeners) listener();
    return Promise.resolve();
  }
}
