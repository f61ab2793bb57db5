import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { addressPattern, anonymisedEventData, ERASED, eventsAboutRecords } from '../../../libs/tenancy/outbox/event-erasure';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { AuditService } from '../audit/audit.service';
import { DomainEventSubscribers } from './domain-event-subscribers';
import { ErasedSubject } from './erased-subject';

/**
 * The control plane's side of a data subject's erasure, for tenant-data modules: the current
 * tenant's events in domain_events, and what subscribers keep of them (webhook payloads, attempt
 * logs), forget the person. The address is replaced by `[erased]`; events about the person's
 * records lose the record's personal fields and their changes. Only the current tenant's copies:
 * another tenant's events holding the same address are its own. Audited with counts, never the address.
 */
@Injectable()
export class EventCopiesErasure {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscribers: DomainEventSubscribers,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
  ) {}

  /** Erases the subject from the current tenant's event copies in one control-plane transaction; rows changed, by kind. */
  async erase(subject: ErasedSubject): Promise<Record<string, number>> {
    const tenantId = this.context.require().id;
    return this.dataSource.transaction(async (manager) => {
      const changed = {
        events: await this.eraseFromEvents(manager, tenantId, subject),
        ...(await this.subscribers.erase(manager, tenantId, subject)),
      };
      await this.audit.record(manager, {
        action: 'tenant.subject_erasure',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: { records: Object.fromEntries(subject.records.map(({ entity, ids }) => [entity, ids.length])), changed },
      });
      return changed;
    });
  }

  private async eraseFromEvents(manager: EntityManager, tenantId: string, subject: ErasedSubject): Promise<number> {
    const changed = new Set<string>();
    for (const { entity, ids, anonymised } of subject.records) {
      if (ids.length === 0) continue;
      const [rows] = await manager.query<[Array<{ id: string }>, number]>(
        `UPDATE domain_events SET data = ${anonymisedEventData('data', '$4')}
          WHERE tenant_id = $1 AND ${eventsAboutRecords('type', 'data', '$2', '$3')} RETURNING id`,
        [tenantId, entity, ids, JSON.stringify(anonymised)],
      );
      for (const row of rows) changed.add(row.id);
    }
    const [rows] = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE domain_events SET data = regexp_replace(data::text, $2, '${ERASED}', 'gi')::jsonb
        WHERE tenant_id = $1 AND data::text ~* $2 RETURNING id`,
      [tenantId, addressPattern(subject.email)],
    );
    for (const row of rows) changed.add(row.id);
    return changed.size;
  }
}
