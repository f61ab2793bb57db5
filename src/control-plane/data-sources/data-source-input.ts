import { BadRequestException } from '@nestjs/common';
import { DataSourceSettings, EntityMapping } from '../../../libs/byod';
import { ConfigureDataSourceDto, RestConnectionDto, SqlConnectionDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto, EntityMappingDto } from './dto/data-source-mappings.dto';

/** The settings a validated request asks for, as they are stored (encrypted); the same for active and staged sources. */
export function settingsOf(dto: ConfigureDataSourceDto): DataSourceSettings {
  if (dto.kind === 'rest') {
    const { baseUrl, apiKey, headers, healthPath } = dto.connection as RestConnectionDto;
    return { kind: 'rest', connection: withoutUndefined({ baseUrl, apiKey, headers, healthPath }) };
  }
  const { host, port, database, user, password, schema, tls } = dto.connection as SqlConnectionDto;
  if (dto.kind === 'mysql' && schema !== undefined) {
    throw new BadRequestException({
      message: 'connection.schema is only for postgres',
      details: [{ field: 'connection.schema', problems: ['is only for postgres'] }],
    });
  }
  const connection = withoutUndefined({
    host,
    port,
    database,
    user,
    password,
    schema,
    tls: tls && { enabled: tls.enabled, rejectUnauthorized: tls.rejectUnauthorized },
  });
  return dto.kind === 'postgres' ? { kind: 'postgres', connection } : { kind: 'mysql', connection };
}

/** The mappings a validated request asks for, as they are stored; the same for active and staged sources. */
export function mappingsOf(dto: DataSourceMappingsDto): Record<string, EntityMapping> {
  const mappings: Record<string, EntityMapping> = {};
  for (const [entity, mapping] of Object.entries(dto.entities) as Array<[string, EntityMappingDto | undefined]>) {
    if (mapping)
      mappings[entity] = withoutUndefined({
        table: mapping.table,
        fields: { ...mapping.fields },
        valueMaps: mapping.valueMaps && { ...mapping.valueMaps },
        validations: mapping.validations && { ...mapping.validations },
        customFields: mapping.customFields && { ...mapping.customFields },
      });
  }
  return mappings;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
