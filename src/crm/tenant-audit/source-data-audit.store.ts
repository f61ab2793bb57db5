import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { SourceDataAudit } from '../../control-plane/audit/source-data-audit';
import { Page } from '../../platform/pagination/cursor-pagination';
import { DataAuditStore } from './data-audit-store';
import { DataAuditEntryDto, DataAuditQueryDto } from './dto/data-audit.dto';

/** The data audit of a `byod` tenant: the writes it made to its own system through the API, kept by the control plane. */
@Injectable()
export class SourceDataAuditStore implements DataAuditStore {
  constructor(
    private readonly audit: SourceDataAudit,
    private readonly context: TenantContext,
  ) {}

  list(query: DataAuditQueryDto): Promise<Page<DataAuditEntryDto>> {
    return this.audit.list(this.context.require().id, query);
  }
}
