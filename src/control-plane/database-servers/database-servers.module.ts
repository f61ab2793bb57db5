import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersController } from './database-servers.controller';
import { DatabaseServersService } from './database-servers.service';

@Module({
  imports: [AuditModule],
  controllers: [DatabaseServersController],
  providers: [DatabaseServersService],
  exports: [DatabaseServersService],
})
export class DatabaseServersModule {}
