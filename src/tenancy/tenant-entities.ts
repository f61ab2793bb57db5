import { Note } from '../notes/entities/note.entity';
import { DataAuditEntry } from '../tenant-audit/entities/data-audit-entry.entity';
import { Account } from '../accounts/entities/account.entity';
import { ContactAccount } from '../contacts/entities/contact-account.entity';
import { Contact } from '../contacts/entities/contact.entity';
import { DealLineItem } from '../deals/entities/deal-line-item.entity';
import { DealStageChange } from '../deals/entities/deal-stage-change.entity';
import { Deal } from '../deals/entities/deal.entity';
import { Activity } from '../activities/entities/activity.entity';
import { EventDate } from '../events/entities/event-date.entity';
import { EventStaff } from '../events/entities/event-staff.entity';
import { Event } from '../events/entities/event.entity';
import { CustomFieldDefinition } from '../custom-fields/entities/custom-field-definition.entity';
import { InventoryItem } from '../inventory/entities/inventory-item.entity';
import { InventoryMovement } from '../inventory/entities/inventory-movement.entity';
import { InvoiceLine } from '../invoices/entities/invoice-line.entity';
import { InvoicePayment } from '../invoices/entities/invoice-payment.entity';
import { Invoice } from '../invoices/entities/invoice.entity';

/** Every entity of the tenant schema (migrations/tenant), registered on each tenant DataSource. */
export const TENANT_ENTITIES = [Note, DataAuditEntry, CustomFieldDefinition, Account, Contact, ContactAccount, Deal, DealLineItem, DealStageChange, Activity, Event, EventDate, EventStaff, InventoryItem, InventoryMovement, Invoice, InvoiceLine, InvoicePayment];
