import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { DealsService } from './deals.service';
import { DealsStore } from './deals-store';
import { MappedDealsStore } from './mapped-deals.store';

/** The current tenant's deals store: its own, or mapped onto its own system; the routes are the same for both. */
export class DealsStores extends PlacementStores<DealsStore>(DealsService, MappedDealsStore) {}
