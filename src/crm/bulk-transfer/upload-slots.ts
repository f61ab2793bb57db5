import { RetryLaterException } from '../../platform/errors/retry-later.exception';
import { TooManyRequestsException } from '../../platform/errors/too-many-requests.exception';

/** Seconds a refused upload is told to wait: uploads end within seconds to minutes. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The uploads this process carries at once, each holding one of its request connections until its file has arrived:
 * at most `total`, and at most half of them (at least one) for one tenant, so that one tenant's uploads, slow or
 * many, never take every slot from the others.
 */
export class UploadSlots {
  private readonly perTenant: number;
  private inUse = 0;
  private readonly byTenant = new Map<string, number>();

  constructor(readonly total: number) {
    this.perTenant = Math.max(1, Math.floor(total / 2));
  }

  /** Takes a slot for one of `tenantId`'s uploads (429 over the tenant's share, 503 when all are taken); returns its release. */
  take(tenantId: string): () => void {
    const tenants = this.byTenant.get(tenantId) ?? 0;
    if (tenants >= this.perTenant) {
      throw new TooManyRequestsException(
        `This tenant is uploading ${tenants} files to this instance already, as many as one tenant may: retry once one has arrived`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.inUse >= this.total) {
      throw new RetryLaterException(`${this.total} files are being uploaded to this instance already: retry shortly`, RETRY_AFTER_SECONDS);
    }
    this.inUse += 1;
    this.byTenant.set(tenantId, tenants + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
      const left = this.byTenant.get(tenantId)! - 1;
      if (left === 0) this.byTenant.delete(tenantId);
      else this.byTenant.set(tenantId, left);
    };
  }
}
