import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DATABASE_SERVER_STATUSES, DatabaseServerStatus } from '../entities/database-server.entity';

export class UpdateDatabaseServerDto {
  @ApiPropertyOptional({ enum: DATABASE_SERVER_STATUSES, description: 'draining: no new tenants are placed here' })
  @IsOptional()
  @IsIn(DATABASE_SERVER_STATUSES)
  status?: DatabaseServerStatus;

  @ApiPropertyOptional({ example: 800 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxDatabases?: number;

  @ApiPropertyOptional({
    example: 200,
    nullable: true,
    description:
      'Connections all Tenantry processes together may hold to tenant databases on this server, split evenly across the live processes ' +
      '(at least one pool each); at most its max_connections when that can be read. null or absent: no per-server budget',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  connectionBudget?: number | null;

  @ApiPropertyOptional({ writeOnly: true, description: 'New admin password; checked by connecting before it is stored' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  adminPassword?: string;
}
