import { Injectable } from '@nestjs/common';

type Listener = (tenantId: string) => void;

/**
 * Tells this process's caches that a tenant changed, right after the change committed.
 * Other processes see the change when their cache entries expire (TENANT_CACHE_TTL_SECONDS).
 */
@Injectable()
export class TenantChangeNotifier {
  private readonly listeners: Listener[] = [];

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  changed(tenantId: string): void {
    for (const listener of this.listeners) listener(tenantId);
  }
}
