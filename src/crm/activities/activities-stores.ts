import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { ActivitiesService } from './activities.service';
import { ActivitiesStore } from './activities-store';
import { MappedActivitiesStore } from './mapped-activities.store';

/** The current tenant's activities store: its own, or mapped onto its own system; the routes are the same for both. */
export class ActivitiesStores extends PlacementStores<ActivitiesStore>(ActivitiesService, MappedActivitiesStore) {}
