import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { WriteGateTenant } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantRecord } from '../../../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { AppConfig } from '../../platform/config/app-config';
import { RetryLaterException } from '../../platform/errors/retry-later.exception';

/** How often a held write looks at the cached record again (the change feed drops it when the freeze ends). */
const FROZEN_POLL_MS = 25;
/** How long a refused write is told to wait; a move's freeze itself lasts well under that. */
const FROZEN_RETRY_AFTER_SECONDS = 1;

/**
 * Holds writes to a tenant whose data a move is switching or a restore is replacing (writes
 * frozen): a write waits up to TENANT_MOVE_WRITE_WAIT_MS, watching the cached record, then gets
 * 503 with Retry-After. Asked when a request is bound (TenantAccessService) and again when a write
 * transaction has its connection (TenantConnectionProvider's WriteGate), by jobs too.
 */
@Injectable()
export class WriteFreezeGate {
  private readonly waitMs: number;

  constructor(
    private readonly cache: TenantDirectoryCache,
    config: ConfigService<AppConfig, true>,
  ) {
    this.waitMs = config.get('tenantMoves.writeWaitMs', { infer: true });
  }

  /** The tenant's record once its writes are no longer frozen; null if it is gone meanwhile. */
  async lifted(tenant: TenantRecord): Promise<TenantRecord | null> {
    const deadline = Date.now() + this.waitMs;
    let current: TenantRecord | null = tenant;
    while (current?.writesFrozen) {
      if (Date.now() >= deadline) {
        throw new RetryLaterException(
          `Tenant "${tenant.slug}" is being moved or restored; writes resume once that is done`,
          FROZEN_RETRY_AFTER_SECONDS,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, FROZEN_POLL_MS));
      current = await this.cache.find(tenant.id);
    }
    return current;
  }

  /** For TenantConnectionProvider: the freshest record this process has, held or refused while frozen, or since moved. */
  readonly beforeWrite = async (bound: WriteGateTenant): Promise<void> => {
    const tenant = await this.cache.find(bound.id);
    this.assertNotMoved(bound, tenant && (await this.lifted(tenant)));
  };

  /**
   * A write that took its connection before a move's switch, then waited out the freeze, holds a
   * connection to the old copy: it is refused (503, Retry-After) rather than written where it would be lost.
   * Moved means another database now; a tenant with none any more (being purged) is not refused here.
   */
  assertNotMoved(bound: WriteGateTenant, current: TenantRecord | null): void {
    if (current?.dataSourceKey && current.dataSourceKey !== bound.dataSourceKey) {
      throw new RetryLaterException(`Tenant "${bound.slug}" moved while this write waited; send it again`, FROZEN_RETRY_AFTER_SECONDS);
    }
  }
}
