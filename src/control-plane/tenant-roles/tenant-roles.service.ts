import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { allTenantPermissions, describedTenantPermissions, tenantPermissionCatalog } from '../../platform/access/tenant-permissions';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { TenantMembership } from '../schema/tenant-membership.entity';
import { CreateTenantRoleDto, TenantPermissionDto, TenantRoleDto, UpdateTenantRoleDto } from './dto/tenant-role.dto';
import { TenantRole } from '../schema/tenant-role.entity';

/** Built-in and custom roles of a tenant, and what each permits. */
@Injectable()
export class TenantRolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
  ) {}

  permissions(): TenantPermissionDto[] {
    return describedTenantPermissions();
  }

  async list(tenantId: string): Promise<TenantRoleDto[]> {
    const custom = await this.dataSource.getRepository(TenantRole).find({ where: { tenantId }, order: { name: 'ASC' } });
    const builtIn = [...tenantPermissionCatalog().builtInRoles].map(([name, permissions]) => ({
      name,
      description: name === 'tenant_admin' ? 'Everything in the tenant' : 'Works with the tenant’s data',
      permissions: [...permissions],
      builtIn: true,
    }));
    return [...builtIn, ...custom.map((role) => toDto(role))];
  }

  async create(tenantId: string, dto: CreateTenantRoleDto): Promise<TenantRoleDto> {
    if (tenantPermissionCatalog().builtInRoles.has(dto.name)) throw new ConflictException(`"${dto.name}" is a built-in role`);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(TenantRole, { where: { tenantId, name: dto.name } })) {
        throw new ConflictException({ message: `Role "${dto.name}" exists`, details: [{ field: 'name', problems: ['already in use'] }] });
      }
      const role = await manager.save(
        manager.create(TenantRole, { tenantId, name: dto.name, description: dto.description ?? '', permissions: ordered(dto.permissions) }),
      );
      await this.audit.record(manager, {
        action: 'tenant_role.create',
        targetType: 'tenant_role',
        tenantId,
        changes: { name: dto.name, permissions: role.permissions },
      });
      return toDto(role);
    });
  }

  async update(tenantId: string, name: string, dto: UpdateTenantRoleDto): Promise<TenantRoleDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const role = await this.findCustomOrFail(manager, tenantId, name);
      const changes: Record<string, unknown> = {};
      if (dto.description !== undefined && dto.description !== role.description)
        changes.description = { from: role.description, to: (role.description = dto.description) };
      if (dto.permissions && JSON.stringify(ordered(dto.permissions)) !== JSON.stringify(role.permissions)) {
        changes.permissions = { from: role.permissions, to: (role.permissions = ordered(dto.permissions)) };
      }
      if (Object.keys(changes).length === 0) return toDto(role);
      const saved = await manager.save(role);
      await this.audit.record(manager, {
        action: 'tenant_role.update',
        targetType: 'tenant_role',
        tenantId,
        changes: { name, ...changes },
      });
      return toDto(saved);
    });
    this.changes.rolesChanged(tenantId);
    return updated;
  }

  async remove(tenantId: string, name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.findCustomOrFail(manager, tenantId, name);
      const holders = await manager.count(TenantMembership, { where: { tenantId, role: name } });
      if (holders > 0) throw new ConflictException(`Role "${name}" is held by ${holders} user(s); give them another role first`);
      await manager.delete(TenantRole, { tenantId, name });
      await this.audit.record(manager, { action: 'tenant_role.delete', targetType: 'tenant_role', tenantId, changes: { name } });
    });
    this.changes.rolesChanged(tenantId);
  }

  /** Refuses a role the tenant does not have, naming it (run inside the assigning transaction). */
  async assertAssignable(manager: EntityManager, tenantId: string, role: string, field = 'role'): Promise<void> {
    if (tenantPermissionCatalog().builtInRoles.has(role)) return;
    if (!(await manager.exists(TenantRole, { where: { tenantId, name: role } }))) {
      throw new BadRequestException({
        message: `Role "${role}" does not exist in this tenant`,
        details: [{ field, problems: ['unknown role'] }],
      });
    }
  }

  /** What a role of the tenant permits, built in or custom; null when the tenant has no such role. */
  async permissionsOf(tenantId: string, role: string, manager: EntityManager = this.dataSource.manager): Promise<readonly string[] | null> {
    const builtIn = tenantPermissionCatalog().builtInRoles.get(role);
    if (builtIn) return builtIn;
    const custom = await manager.findOne(TenantRole, { where: { tenantId, name: role } });
    return custom?.permissions ?? null;
  }

  private async findCustomOrFail(manager: EntityManager, tenantId: string, name: string): Promise<TenantRole> {
    if (tenantPermissionCatalog().builtInRoles.has(name)) throw new ConflictException(`"${name}" is a built-in role and cannot be changed`);
    const role = await manager.findOne(TenantRole, { where: { tenantId, name }, lock: { mode: 'pessimistic_write' } });
    if (!role) throw new NotFoundException(`Role "${name}" not found`);
    return role;
  }
}

function ordered(permissions: string[]): string[] {
  return allTenantPermissions().filter((permission) => permissions.includes(permission));
}

function toDto(role: TenantRole): TenantRoleDto {
  return { name: role.name, description: role.description, permissions: role.permissions, builtIn: false };
}
