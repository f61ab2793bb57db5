import { Inject, Injectable, Type } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { RecordStore } from '../../../libs/tenancy/tenant-placement';

/** A module's stores of one kind of record, one per RecordStore; `current()` is the bound tenant's. */
export interface StoresByPlacement<Store> {
  current(): Store;
}

/**
 * The stores a module serves its records from: its own (Tenantry's tenant schema) and its mapped
 * one (the tenant's own system). The routes are the same for both; which one serves a request was
 * decided when its tenant was bound. A module declares its pair in one line:
 * `export class AccountsStores extends PlacementStores<AccountsStore>(AccountsService, MappedAccountsStore) {}`.
 */
export function PlacementStores<Store>(own: Type<Store>, mapped: Type<Store>): Type<StoresByPlacement<Store>> {
  @Injectable()
  class Stores implements StoresByPlacement<Store> {
    private readonly stores: Readonly<Record<RecordStore, Store>>;

    constructor(
      private readonly context: TenantContext,
      @Inject(own) ownStore: Store,
      @Inject(mapped) mappedStore: Store,
    ) {
      this.stores = { own: ownStore, mapped: mappedStore };
    }

    current(): Store {
      return this.stores[this.context.require().recordStore];
    }
  }
  return Stores;
}
