import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Invoice } from './entities/invoice.entity';
import { InvoiceLine } from './entities/invoice-line.entity';
import { InvoicePayment } from './entities/invoice-payment.entity';

const INVOICES_PERMISSIONS = {
  'invoices.read': 'Read quotes, invoices and their payments',
  'invoices.write': 'Create and change quotes and invoices, move their status, convert quotes, record payments',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof INVOICES_PERMISSIONS, true> {}
}

export const INVOICES_MODULE = declareTenantModule({
  name: 'invoices',
  description: 'Billing: quotes, invoices and payments',
  toggleable: true,
  entities: [Invoice, InvoiceLine, InvoicePayment],
  permissions: INVOICES_PERMISSIONS,
  memberPermissions: ['invoices.read', 'invoices.write'],
  requiredSettings: ['address', 'currency', 'companyName'],
});
