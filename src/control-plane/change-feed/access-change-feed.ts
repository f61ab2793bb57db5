import { Injectable, Logger } from '@nestjs/common';
import { AccessChanges } from '../access-changes';
import { parseAccessChange } from './access-change';
import { ChangeFeedChannel, ControlPlaneFeed } from './control-plane-feed';

/**
 * Pushes tenant, membership, user, role and plan changes, and new usage measurements, committed by any process into this process's
 * caches (through AccessChanges), so they are dropped at once rather than when their
 * TENANT_CACHE_TTL_SECONDS runs out. After a reconnect every cache is cleared: what changed
 * while the feed was down is unknown.
 */
@Injectable()
export class AccessChangeFeed implements ChangeFeedChannel {
  readonly channel = 'control_plane_changes';
  private readonly logger = new Logger(AccessChangeFeed.name);

  constructor(
    private readonly changes: AccessChanges,
    feed: ControlPlaneFeed,
  ) {
    feed.register(this);
  }

  received(payload: string): void {
    const change = parseAccessChange(payload);
    if (change) this.changes.apply(change);
    else this.logger.warn(`Ignored an access change this release does not understand: ${payload.slice(0, 200)}`);
  }

  resync(): Promise<void> {
    this.changes.anythingMayHaveChanged();
    return Promise.resolve();
  }
}
