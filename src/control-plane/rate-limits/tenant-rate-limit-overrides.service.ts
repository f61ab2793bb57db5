import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { OverrideTenantRateLimitsDto, TenantRateLimitsDto } from './dto/tenant-rate-limits.dto';

interface RatesRow {
  plan_tenant: number | null;
  plan_principal: number | null;
  override_tenant: number | null;
  override_principal: number | null;
}

/** A platform admin's override of one tenant's request rates, audited, applied by every process at once. */
@Injectable()
export class TenantRateLimitOverrides {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  async get(tenantId: string): Promise<TenantRateLimitsDto> {
    return toDto(await this.ratesOf(this.dataSource.manager, tenantId, false));
  }

  /** Writes the tenants row, whose trigger announces the change to every process (the change feed). */
  async override(tenantId: string, dto: OverrideTenantRateLimitsDto): Promise<TenantRateLimitsDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const before = await this.ratesOf(manager, tenantId, true);
      await manager.query(
        `UPDATE tenants SET tenant_requests_per_minute_override = $2, principal_requests_per_minute_override = $3, updated_at = now()
          WHERE id = $1`,
        [tenantId, dto.tenantRequestsPerMinute, dto.principalRequestsPerMinute],
      );
      await this.audit.record(manager, {
        action: 'tenant.rate_limits_override',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: {
          tenantRequestsPerMinute: { from: before.override_tenant, to: dto.tenantRequestsPerMinute },
          principalRequestsPerMinute: { from: before.override_principal, to: dto.principalRequestsPerMinute },
        },
      });
      return { ...before, override_tenant: dto.tenantRequestsPerMinute, override_principal: dto.principalRequestsPerMinute };
    });
    this.changes.tenantChanged(tenantId);
    return toDto(updated);
  }

  private async ratesOf(manager: EntityManager, tenantId: string, forUpdate: boolean): Promise<RatesRow> {
    const [row]: RatesRow[] = await manager.query(
      `SELECT p.tenant_requests_per_minute AS plan_tenant, p.principal_requests_per_minute AS plan_principal,
              t.tenant_requests_per_minute_override AS override_tenant, t.principal_requests_per_minute_override AS override_principal
         FROM tenants t JOIN plans p ON p.name = t.plan
        WHERE t.id = $1 AND t.status <> 'purged'${forUpdate ? ' FOR UPDATE OF t' : ''}`,
      [tenantId],
    );
    if (!row) throw new NotFoundException('Tenant not found');
    return row;
  }
}

function toDto(row: RatesRow): TenantRateLimitsDto {
  const plan = { tenantRequestsPerMinute: row.plan_tenant, principalRequestsPerMinute: row.plan_principal };
  const override = { tenantRequestsPerMinute: row.override_tenant, principalRequestsPerMinute: row.override_principal };
  return {
    effective: {
      tenantRequestsPerMinute: override.tenantRequestsPerMinute ?? plan.tenantRequestsPerMinute,
      principalRequestsPerMinute: override.principalRequestsPerMinute ?? plan.principalRequestsPerMinute,
    },
    plan,
    override,
  };
}
