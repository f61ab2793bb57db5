import { Note } from '../../crm/notes/entities/note.entity';
import { DataAuditEntry } from '../../crm/tenant-audit/entities/data-audit-entry.entity';
import { Account } from '../../crm/accounts/entities/account.entity';
import { ContactAccount } from '../../crm/contacts/entities/contact-account.entity';
import { Contact } from '../../crm/contacts/entities/contact.entity';
import { DealLineItem } from '../../crm/deals/entities/deal-line-item.entity';
import { DealStageChange } from '../../crm/deals/entities/deal-stage-change.entity';
import { Deal } from '../../crm/deals/entities/deal.entity';
import { Activity } from '../../crm/activities/entities/activity.entity';
import { EventDate } from '../../crm/events/entities/event-date.entity';
import { EventStaff } from '../../crm/events/entities/event-staff.entity';
import { Event } from '../../crm/events/entities/event.entity';
import { CustomFieldDefinition } from '../../crm/custom-fields/entities/custom-field-definition.entity';
import { InventoryItem } from '../../crm/inventory/entities/inventory-item.entity';
import { InventoryMovement } from '../../crm/inventory/entities/inventory-movement.entity';
import { InvoiceLine } from '../../crm/invoices/entities/invoice-line.entity';
import { InvoicePayment } from '../../crm/invoices/entities/invoice-payment.entity';
import { Invoice } from '../../crm/invoices/entities/invoice.entity';

/** Every entity of the tenant schema (migrations/tenant), registered on each tenant DataSource. */
export const TENANT_ENTITIES = [Note, DataAuditEntry, CustomFieldDefinition, Account, Contact, ContactAccount, Deal, DealLineItem, DealStageChange, Activity, Event, EventDate, EventStaff, InventoryItem, InventoryMovement, Invoice, InvoiceLine, InvoicePayment];
