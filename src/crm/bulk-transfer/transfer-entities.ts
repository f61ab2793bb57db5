import { Type } from '@nestjs/common';
import { TenantPermissionName } from '../../platform/access/tenant-permissions';
import { CreateAccountDto } from '../accounts/dto/account.dto';
import { CreateContactDto } from '../contacts/dto/contact.dto';
import { CreateInventoryItemDto } from '../inventory/dto/inventory-item.dto';

export const TRANSFER_ENTITIES = ['accounts', 'contacts', 'inventory-items'] as const;
export type TransferEntityName = (typeof TRANSFER_ENTITIES)[number];

/** What bulk import and export need to know of one kind of record; the records themselves stay their module's. */
export interface TransferEntity {
  name: TransferEntityName;
  /** The tenant module the records belong to: a tenant that has not enabled it can neither import nor export them. */
  module: string;
  readPermission: TenantPermissionName;
  writePermission: TenantPermissionName;
  /** The entity name in the data audit trail and in custom field definitions (null: it takes no custom fields). */
  auditEntity: string;
  customFields: boolean;
  /** Each row is checked as this DTO is on the API's create route. */
  createDto: Type<object>;
  /** Fields a CSV cell holds as text that the DTO takes as whole numbers. */
  integerFields: readonly string[];
  /** Built-in fields that may name the external key (besides `customFields.<key>` where custom fields exist). */
  keyFields: readonly string[];
  /** Fields of the API's answer that an import ignores (an export can be imported again as it is). */
  answerOnlyFields: readonly string[];
  /** The export's columns before the custom fields, in order. */
  exportColumns: readonly string[];
}

const ANSWER_ONLY = ['id', 'createdAt', 'updatedAt', 'deletedAt'];

export const TRANSFER_ENTITY: Readonly<Record<TransferEntityName, TransferEntity>> = {
  accounts: {
    name: 'accounts',
    module: 'accounts',
    readPermission: 'accounts.read',
    writePermission: 'accounts.write',
    auditEntity: 'account',
    customFields: true,
    createDto: CreateAccountDto,
    integerFields: [],
    keyFields: ['name', 'domain'],
    answerOnlyFields: ANSWER_ONLY,
    exportColumns: ['id', 'name', 'domain', 'industry', 'ownerUserId', 'street', 'city', 'postalCode', 'country', 'createdAt', 'updatedAt'],
  },
  contacts: {
    name: 'contacts',
    module: 'contacts',
    readPermission: 'contacts.read',
    writePermission: 'contacts.write',
    auditEntity: 'contact',
    customFields: true,
    createDto: CreateContactDto,
    integerFields: [],
    keyFields: ['email', 'phone'],
    answerOnlyFields: [...ANSWER_ONLY, 'accounts'],
    exportColumns: ['id', 'firstName', 'lastName', 'email', 'phone', 'jobTitle', 'ownerUserId', 'createdAt', 'updatedAt'],
  },
  'inventory-items': {
    name: 'inventory-items',
    module: 'inventory',
    readPermission: 'inventory.read',
    writePermission: 'inventory.write',
    auditEntity: 'inventory_item',
    customFields: false,
    createDto: CreateInventoryItemDto,
    integerFields: ['priceSellingMinor', 'lowStockThreshold', 'initialStock'],
    keyFields: ['sku'],
    answerOnlyFields: [...ANSWER_ONLY, 'stockOnHand', 'reserved', 'available', 'status'],
    exportColumns: [
      'id',
      'sku',
      'name',
      'description',
      'stockOnHand',
      'reserved',
      'available',
      'lowStockThreshold',
      'priceSellingMinor',
      'currency',
      'status',
      'createdAt',
      'updatedAt',
    ],
  },
};

const CUSTOM_PREFIX = 'customFields.';

/** The custom field an external key names (`customFields.<key>`), or undefined for a built-in field. */
export function customKeyOf(externalKey: string): string | undefined {
  return externalKey.startsWith(CUSTOM_PREFIX) ? externalKey.slice(CUSTOM_PREFIX.length) : undefined;
}

/** Why `externalKey` cannot identify records of `entity`, or undefined when it can. */
export function externalKeyProblem(entity: TransferEntity, externalKey: string): string | undefined {
  const custom = customKeyOf(externalKey);
  if (custom !== undefined) {
    if (!entity.customFields) return `${entity.name} take no custom fields`;
    return /^[a-z][a-z0-9_]{0,63}$/.test(custom) ? undefined : 'a custom field key matches ^[a-z][a-z0-9_]{0,63}$';
  }
  return entity.keyFields.includes(externalKey)
    ? undefined
    : `must be one of ${entity.keyFields.join(', ')}${entity.customFields ? ' or customFields.<key>' : ''}`;
}
