import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { SourceDataAudit } from './source-data-audit';

@Module({
  controllers: [AuditController],
  providers: [AuditService, SourceDataAudit],
  exports: [AuditService, SourceDataAudit],
})
export class AuditModule {}
