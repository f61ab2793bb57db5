import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { AccountsService } from './accounts.service';
import { AccountsStore } from './accounts-store';
import { MappedAccountsStore } from './mapped-accounts.store';

/** Picks the current tenant's accounts store by its placement; the routes are the same for all. */
@Injectable()
export class AccountsStores {
  constructor(
    private readonly context: TenantContext,
    private readonly own: AccountsService,
    private readonly mapped: MappedAccountsStore,
  ) {}

  current(): AccountsStore {
    return this.context.require().placement === 'byod' ? this.mapped : this.own;
  }
}
