import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { ContactsService } from './contacts.service';
import { ContactsStore } from './contacts-store';
import { MappedContactsStore } from './mapped-contacts.store';

/** Picks the current tenant's contacts store by its placement; the routes are the same for all. */
@Injectable()
export class ContactsStores {
  constructor(
    private readonly context: TenantContext,
    private readonly own: ContactsService,
    private readonly mapped: MappedContactsStore,
  ) {}

  current(): ContactsStore {
    return this.context.require().placement === 'byod' ? this.mapped : this.own;
  }
}
