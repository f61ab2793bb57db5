import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DATA_SOURCE_KINDS, DataSourceKind } from '../../../../libs/byod';
import { HOSTNAME_PATTERN } from '../../database-servers/dto/create-database-server.dto';
import { IsRecordOf } from './is-record-of';

export class TlsDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({ example: true, description: 'false accepts self-signed certificates (still encrypted)' })
  @IsBoolean()
  rejectUnauthorized: boolean;
}

export class SqlConnectionDto {
  @ApiProperty({ example: 'db.customer.example', description: 'Hostname or IP address' })
  @Matches(HOSTNAME_PATTERN, { message: 'host must be a hostname or an IP address' })
  host: string;

  @ApiProperty({ type: 'integer', example: 3306 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @ApiProperty({ example: 'dealership_crm' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  database: string;

  @ApiProperty({ example: 'crm_reader' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  user: string;

  @ApiProperty({ writeOnly: true, description: 'Stored encrypted (AES-256-GCM); never returned' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ example: 'public', description: 'postgres only: the schema holding the tables (default public)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  schema?: string;

  @ApiPropertyOptional({ type: TlsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TlsDto)
  tls?: TlsDto;
}

export class RestConnectionDto {
  @ApiProperty({ example: 'https://api.customer.example/v2', description: 'http(s) URL without credentials, query or fragment' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'baseUrl must be an http(s) URL' })
  @Matches(/^https?:\/\/[^/@?#]+(\/[^?#]*)?$/, {
    message: 'baseUrl must not carry credentials, a query or a fragment: put secrets in apiKey or headers',
  })
  @MaxLength(2048)
  baseUrl: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'Sent as `Authorization: Bearer …`; stored encrypted, never returned' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  apiKey?: string;

  @ApiPropertyOptional({
    example: { 'X-Client-ID': 'dealership-123' },
    description: 'Sent with every request; values stored encrypted, only names returned',
  })
  @IsOptional()
  @IsRecordOf(
    (value) => typeof value === 'string' && value.length <= 4096 && !/[\r\n]/.test(value),
    'header name → string value',
    20,
    /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/,
  )
  headers?: Record<string, string>;

  @ApiPropertyOptional({ example: '/health', description: 'Path below baseUrl that a cheap GET answers (default: baseUrl itself)' })
  @IsOptional()
  @Matches(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,512}$/, { message: 'healthPath must be a path starting with /' })
  healthPath?: string;
}

export class ConfigureDataSourceDto {
  @ApiProperty({ enum: DATA_SOURCE_KINDS, example: 'mysql' })
  @IsIn(DATA_SOURCE_KINDS)
  kind: DataSourceKind;

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(SqlConnectionDto) }, { $ref: getSchemaPath(RestConnectionDto) }],
    description: 'postgres and mysql: SqlConnectionDto; rest: RestConnectionDto',
    example: { host: 'db.customer.example', port: 3306, database: 'dealership_crm', user: 'crm_reader', password: 's3cret' },
  })
  @IsObject()
  @ValidateNested()
  @Type((options) => ((options?.object as { kind?: string } | undefined)?.kind === 'rest' ? RestConnectionDto : SqlConnectionDto))
  connection: SqlConnectionDto | RestConnectionDto;

  @ApiProperty({ example: true, description: 'Tenantry never writes to a read-only source' })
  @IsBoolean()
  readOnly: boolean;
}
