import { Injectable, NotFoundException } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
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
    private readonly quota: ContactQuota,
  ) {}

  async create(dto: CreateContactDto): Promise<ContactDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), dto.customFields, {});
      await this.quota.assertRoomFor(tx);
      const contacts = tx.repository(Contact);
      const contact = await contacts.save(contacts.create({ ...dto, customFields, tenantId: tx.tenantId }));
      await this.audit.record(tx, { entity: ENTITY, entityId: contact.id, action: 'create', changes: { ...dto, customFields } });
      return ContactDto.from({ ...contact, accounts: [] });
    });
  }

  async list(query: ListContactsQueryDto): Promise<Page<ContactDto>> {
    const order = parseSort(query.sort, CONTACT_SORT_PROPERTIES);
    const { text, values } = contactListStatement(query, order);
    const rows = await this.tenantData.select<ContactListRow>(text, values);
    return toSortedPage(rows, query.limit, (row) => row[order.property], (row) => ContactDto.from(row));
  }

  get(id: string): Promise<ContactDto> {
    return this.tenantData.read(async (tx) => ContactDto.from(await this.findOrFail(tx, id)));
  }

  async update(id: string, dto: UpdateContactDto): Promise<ContactDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const contact = await this.findOrFail(tx, id);
      const { customFields: customValues, ...fields } = dto;
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), customValues, contact.customFields);
      const { accounts, ...stored } = contact;
      const changes = changedFields(stored, { ...fields, customFields });
      if (Object.keys(changes).length === 0) return ContactDto.from(contact);
      const saved = await tx.repository(Contact).save(Object.assign(contact, fields, { customFields }));
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      return ContactDto.from({ ...saved, accounts });
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const contact = await this.findOrFail(tx, id);
      await tx.repository(Contact).update({ tenantId: tx.tenantId, id }, { deletedAt: new Date() });
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'delete', changes: { firstName: contact.firstName, lastName: contact.lastName } });
    });
  }

  restore(id: string): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      const contact = await tx.repository(Contact).findOne({ where: { id, deletedAt: Not(IsNull()) }, relations: { accounts: true } });
      if (!contact) throw new NotFoundException(`No deleted contact ${id}`);
      await this.quota.assertRoomFor(tx);
      await tx.repository(Contact).update({ tenantId: tx.tenantId, id }, { deletedAt: null });
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes: { deletedAt: { from: 'deleted', to: null } } });
      return ContactDto.from(contact);
    });
  }

  /** Links the contact to an account of the same tenant, or changes the role of the link. */
  linkAccount(id: string, accountId: string, role = ''): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      await this.findOrFail(tx, id);
      if (!(await tx.repository(Account).exists({ where: { id: accountId, deletedAt: IsNull() } }))) {
        throw new NotFoundException({ message: `Account ${accountId} not found`, details: [{ field: 'accountId', problems: ['unknown account'] }] });
      }
      await tx.repository(ContactAccount).upsert({ tenantId: tx.tenantId, contactId: id, accountId, role }, ['tenantId', 'contactId', 'accountId']);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes: { accounts: { linked: accountId, role } } });
      return ContactDto.from(await this.findOrFail(tx, id));
    });
  }

  unlinkAccount(id: string, accountId: string): Promise<ContactDto> {
    return this.tenantData.transaction(async (tx) => {
      const result = await tx.repository(ContactAccount).delete({ tenantId: tx.tenantId, contactId: id, accountId });
      if (!result.affected) throw new NotFoundException(`Contact ${id} is not linked to account ${accountId}`);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes: { accounts: { unlinked: accountId } } });
      return ContactDto.from(await this.findOrFail(tx, id));
    });
  }

  /** Another tenant's contact is invisible here (row-level security), so it is "not found" like a missing one. */
  private async findOrFail(tx: TenantEntityManager, id: string): Promise<Contact> {
    const contact = await tx.repository(Contact).findOne({ where: { id, deletedAt: IsNull() }, relations: { accounts: true } });
    if (!contact) throw new NotFoundException(`Contact ${id} not found`);
    return contact;
  }
}
