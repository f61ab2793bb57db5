import { Page } from '../../platform/pagination/cursor-pagination';
import { DataAuditEntryDto, DataAuditQueryDto } from './dto/data-audit.dto';

/** Where a tenant's data audit is kept: its Tenantry database, or (byod) the control plane's audit log. */
export interface DataAuditStore {
  list(query: DataAuditQueryDto): Promise<Page<DataAuditEntryDto>>;
}
