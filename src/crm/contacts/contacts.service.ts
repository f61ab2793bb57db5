import { Injectable, NotFoundException } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { assertLinkedRecord, findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { findDeletedOrFail, softDelete, undelete } from '../../../libs/tenancy/records/soft-delete';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { ownerReference, TenantMembers } from '../../control-plane/tenant-binding/tenant-members';
import { Account } from '../accounts/entities/account.entity';
import { Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { validateCustomFields } from '../custom-fields/custom-field-validation';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { ContactQuota } from './contact-quota';
import { contactListStatement, ContactListRow } from './contact-list.statement';
import { ContactsStore } from './contacts-store';
import { CONTACT_SORT_PROPERTIES, ContactDto, CreateContactDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';
import { ContactAccount } from './entities/contact-account.entity';
import { Contact } from './entities/contact.entity';

const ENTITY = 'contact';

/** Contacts of the current tenant and their links to accounts; every change is audited in its transaction. */
@Injectable()
export class ContactsService implements ContactsStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly members: TenantMembers,
    private readonly customFields: CustomFieldsService,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
    private readonly quota: ContactQuota,
  ) {}

  async create(dto: CreateContactDto): Promise<ContactDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), dto.customFields, {});
      await this.quota.assertRoomFor(tx);
      const contacts = tx.repository(Contact);
      const contact = await contacts.save(contacts.create({ ...dto, customFields }));
      await this.audit.record(tx, { entity: ENTITY, entityId: contact.id, action: 'create', changes: { ...dto, customFields } });
      const record = ContactDto.from({ ...contact, accounts: [] });
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  async list(query: ListContactsQueryDto): Promise<Page<ContactDto>> {
    const order = parseSort(query.sort, CONTACT_SORT_PROPERTIES);
    const { text, values } = contactListStatement(query, order);
    const rows = await this.tenantData.select<ContactListRow>(text, values);
    return toSortedPage(
      rows,
      query.limit,
      (row) => row[order.property],
      (row) => ContactDto.from(row),
    );
  }

  get(id: string): Promise<ContactDto> {
    return this.tenantData.read(async (tx) => ContactDto.from(await findContact(tx, id)));
  }

  async update(id: string, dto: UpdateContactDto): Promise<ContactDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const contact = await findContact(tx, id, true);
      const { customFields: customValues, ...fields } = dto;
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), customValues, contact.customFields);
      const { accounts, ...stored } = contact;
      const changes = changedFields(stored, { ...fields, customFields });
      if (Object.keys(changes).length === 0) return ContactDto.from(contact);
      const saved = await tx.repository(Contact).save(Object.assign(contact, fields, { customFields }));
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = ContactDto.from({ ...saved, accounts });
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const contact = await findContact(tx, id, true);
      await softDelete(tx, Contact, id);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: id,
        action: 'delete',
        changes: { firstName: contact.firstName, lastName: contact.lastName },
      });
      await this.events.recordChanged(tx, ENTITY, 'deleted', ContactDto.from(contact));
    });
  }

  restore(id: string): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      const contact = await findDeletedOrFail(tx, Contact, id, 'contact', { accounts: true });
      await this.quota.assertRoomFor(tx);
      await undelete(tx, Contact, contact);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: id,
        action: 'update',
        changes: { deletedAt: { from: 'deleted', to: null } },
      });
      const record = ContactDto.from(contact);
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }

  /** Links the contact to an account of the same tenant, or changes the role of the link. */
  linkAccount(id: string, accountId: string, role = ''): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      const contact = await findContact(tx, id, true);
      await assertLinkedRecord(tx, Account, accountId, { field: 'accountId', name: 'Account' });
      // Linking again with the same role changes nothing (and raises nothing).
      if (contact.accounts.some((link) => link.accountId === accountId && link.role === role)) return ContactDto.from(contact);
      await tx.repository(ContactAccount).upsert({ contactId: id, accountId, role }, ['tenantId', 'contactId', 'accountId']);
      const changes = { accounts: { linked: accountId, role } };
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = ContactDto.from(await findContact(tx, id));
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  unlinkAccount(id: string, accountId: string): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      await findContact(tx, id, true);
      const result = await tx.repository(ContactAccount).delete({ contactId: id, accountId });
      if (!result.affected) throw new NotFoundException(`Contact ${id} is not linked to account ${accountId}`);
      const changes = { accounts: { unlinked: accountId } };
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = ContactDto.from(await findContact(tx, id));
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }
}

const findContact = (tx: TenantEntityManager, id: string, forUpdate = false) =>
  findOrFail(tx, Contact, id, { name: 'Contact', relations: { accounts: true }, forUpdate });
