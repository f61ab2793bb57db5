import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { CreateCustomFieldDto, CustomFieldDto } from './dto/custom-field.dto';
import { CustomFieldDefinition } from './entities/custom-field-definition.entity';

/** The custom fields a tenant admin defines, stored in the tenant's database. */
@Injectable()
export class CustomFieldsService {
  constructor(private readonly tenantData: TenantConnectionProvider) {}

  list(entity?: string): Promise<CustomFieldDto[]> {
    return this.tenantData.read(async (tx) => (await this.definitions(tx, entity)).map(CustomFieldDto.from));
  }

  create(dto: CreateCustomFieldDto): Promise<CustomFieldDto> {
    return this.tenantData.transaction(async (tx) => {
      const definitions = tx.repository(CustomFieldDefinition);
      if (await definitions.exists({ where: { entity: dto.entity, key: dto.key } })) {
        throw new ConflictException({
          message: `Custom field ${dto.entity}.${dto.key} exists`,
          details: [{ field: 'key', problems: ['already in use'] }],
        });
      }
      const saved = await definitions.save(
        definitions.create({
          entity: dto.entity,
          key: dto.key,
          label: dto.label,
          type: dto.type,
          required: dto.required ?? false,
          options: dto.options ?? [],
        }),
      );
      return CustomFieldDto.from(saved);
    });
  }

  /** Removes the definition; values already stored stay in the records' history but are no longer validated or shown. */
  remove(entity: string, key: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const result = await tx.repository(CustomFieldDefinition).delete({ entity, key });
      if (!result.affected) throw new NotFoundException(`Custom field ${entity}.${key} not found`);
    });
  }

  /** The definitions of `entity`, for validating values inside the caller's transaction. */
  definitions(tx: TenantEntityManager, entity?: string): Promise<CustomFieldDefinition[]> {
    return tx.repository(CustomFieldDefinition).find({ where: entity ? { entity } : {}, order: { entity: 'ASC', createdAt: 'ASC' } });
  }
}
