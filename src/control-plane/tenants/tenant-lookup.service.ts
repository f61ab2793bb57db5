import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, Page, toPage } from '../../platform/pagination/cursor-pagination';
import { ProvisioningStep } from '../schema/provisioning-step.entity';
import { ListTenantsQueryDto } from './dto/list-tenants-query.dto';
import { TenantDetailDto, TenantDto } from './dto/tenant.dto';
import { Tenant } from '../schema/tenant.entity';
import { findTenantOrFail } from './tenant-rows';

/** Limits a listing to the tenants a super admin administers; undefined means every tenant. */
export type TenantScope = string[] | undefined;

/** Finds and lists tenants for the platform's administrators, the CLI and sign-in. */
@Injectable()
export class TenantLookup {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: ListTenantsQueryDto, scope: TenantScope): Promise<Page<TenantDto>> {
    if (scope?.length === 0) return { items: [], nextCursor: null };
    const builder = this.dataSource.getRepository(Tenant).createQueryBuilder('tenant');
    if (scope) builder.andWhere('tenant.id IN (:...scope)', { scope });
    if (query.status) builder.andWhere('tenant.status = :status', { status: query.status });
    if (query.placement) builder.andWhere('tenant.placement = :placement', { placement: query.placement });
    if (query.plan) builder.andWhere('tenant.plan = :plan', { plan: query.plan });
    if (query.search) {
      builder.andWhere("(tenant.slug ILIKE :pattern ESCAPE '\\' OR tenant.name ILIKE :pattern ESCAPE '\\')", {
        pattern: `%${escapeLike(query.search)}%`,
      });
    }
    const rows = await applyKeyset(builder, query).getMany();
    return toPage(rows, query.limit, TenantDto.from);
  }

  /** The tenant with every provisioning step of every attempt, in order. */
  get(id: string): Promise<TenantDetailDto> {
    return this.detailWithin(this.dataSource.manager, id);
  }

  /** get() inside the caller's transaction. */
  async detailWithin(manager: EntityManager, id: string): Promise<TenantDetailDto> {
    const tenant = await findTenantOrFail(manager, id);
    const steps = await manager
      .getRepository(ProvisioningStep)
      .find({ where: { tenantId: id }, order: { attempt: 'ASC', startedAt: 'ASC' } });
    return TenantDetailDto.fromWithSteps(tenant, steps);
  }

  /** The tenant's row alone, without its provisioning steps. */
  find(id: string): Promise<Tenant> {
    return findTenantOrFail(this.dataSource.manager, id);
  }

  /** Finds a tenant by slug or id, as a user types it at login. */
  async findByReference(reference: string): Promise<Tenant | null> {
    const where = isUUID(reference) ? { id: reference } : { slug: reference.trim().toLowerCase() };
    return this.dataSource.getRepository(Tenant).findOne({ where });
  }

  slugTaken(slug: string): Promise<boolean> {
    return this.dataSource.getRepository(Tenant).exists({ where: { slug } });
  }
}
