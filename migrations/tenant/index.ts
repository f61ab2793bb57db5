import { Notes1763880000001 } from './1763880000001-Notes';
import { DataAudit1763920000001 } from './1763920000001-DataAudit';
import { Accounts1763940000001 } from './1763940000001-Accounts';
import { Contacts1763950000001 } from './1763950000001-Contacts';
import { DealsAndActivities1763960000001 } from './1763960000001-DealsAndActivities';
import { CrmListIndexes1763970000001 } from './1763970000001-CrmListIndexes';
import { ContactSearchText1763980000001 } from './1763980000001-ContactSearchText';
import { Events1763990000001 } from './1763990000001-Events';
import { Inventory1763990000002 } from './1763990000002-Inventory';
import { Invoices1763990000003 } from './1763990000003-Invoices';
import { TenantIdStatistics1764000000001 } from './1764000000001-TenantIdStatistics';
import { OutboxEvents1764120000001 } from './1764120000001-OutboxEvents';
import { OutboxPendingTenants1764220000001 } from './1764220000001-OutboxPendingTenants';

/** The one tenant schema, for pooled and dedicated databases alike. The last one's name is the schema version. */
export const TENANT_MIGRATIONS = [
  Notes1763880000001,
  DataAudit1763920000001,
  Accounts1763940000001,
  Contacts1763950000001,
  DealsAndActivities1763960000001,
  CrmListIndexes1763970000001,
  ContactSearchText1763980000001,
  Events1763990000001,
  Inventory1763990000002,
  Invoices1763990000003,
  TenantIdStatistics1764000000001,
  OutboxEvents1764120000001,
  OutboxPendingTenants1764220000001,
];
