import { Injectable } from '@nestjs/common';
import { EventTypeDeclaration } from '../../../libs/tenancy/outbox/event-catalog';

/**
 * Every domain event type the running application can raise, declared by the tiers that raise
 * them (the platform here, the CRM from its own module) so the control plane can check what
 * refers to event types (webhook filters) without importing the domains above it.
 */
@Injectable()
export class EventTypeRegistry {
  private readonly declared = new Map<string, EventTypeDeclaration>();

  /** Adds a catalog's types; a type declared by two catalogs is a programming error. */
  declare(catalog: ReadonlyMap<string, EventTypeDeclaration>): void {
    for (const [type, declaration] of catalog) {
      if (this.declared.has(type)) throw new Error(`Event type ${type} is declared twice`);
      this.declared.set(type, declaration);
    }
  }

  /** The types an endpoint of this owner can receive: a tenant's never receive the platform's own (`tenant.*`). */
  typesFor(owner: 'tenant' | 'platform'): string[] {
    return [...this.declared.values()]
      .filter((declaration) => owner === 'platform' || declaration.audience !== 'platform')
      .map((declaration) => declaration.type);
  }
}
