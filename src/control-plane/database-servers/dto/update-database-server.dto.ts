import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBehindTransactionPooler, IsConnectionBudget, IsPoolerHost } from './create-database-server.dto';
import { DATABASE_SERVER_STATUSES, DatabaseServerStatus } from '../../schema/database-server.entity';

export class UpdateDatabaseServerDto {
  @ApiPropertyOptional({ enum: DATABASE_SERVER_STATUSES, description: 'draining: no new tenants are placed here' })
  @IsOptional()
  @IsIn(DATABASE_SERVER_STATUSES)
  status?: DatabaseServerStatus;

  @ApiPropertyOptional({ type: 'integer', example: 800 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxDatabases?: number;

  @IsConnectionBudget()
  connectionBudget?: number | null;

  @IsBehindTransactionPooler()
  behindTransactionPooler?: boolean;

  @IsPoolerHost()
  poolerHost?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 6432,
    nullable: true,
    description: 'Port tenant connections use instead of `port` (the pooler); admin work always connects to host:port. null: `port`',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  poolerPort?: number | null;

  @ApiPropertyOptional({ writeOnly: true, description: 'New admin password; checked by connecting before it is stored' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  adminPassword?: string;
}
