import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { DataAuditStore } from './data-audit-store';
import { SourceDataAuditStore } from './source-data-audit.store';
import { TenantAuditService } from './tenant-audit.service';

/** The current tenant's data audit: in its own database, or in the control plane for a byod tenant. */
export class DataAuditStores extends PlacementStores<DataAuditStore>(TenantAuditService, SourceDataAuditStore) {}
