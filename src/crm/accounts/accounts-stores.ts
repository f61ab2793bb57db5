import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { AccountsService } from './accounts.service';
import { AccountsStore } from './accounts-store';
import { MappedAccountsStore } from './mapped-accounts.store';

/** The current tenant's accounts store: its own, or mapped onto its own system; the routes are the same for both. */
export class AccountsStores extends PlacementStores<AccountsStore>(AccountsService, MappedAccountsStore) {}
