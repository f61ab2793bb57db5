import { PlacementStores } from '../../control-plane/tenant-binding/placement-stores';
import { ContactsService } from './contacts.service';
import { ContactsStore } from './contacts-store';
import { MappedContactsStore } from './mapped-contacts.store';

/** The current tenant's contacts store: its own, or mapped onto its own system; the routes are the same for both. */
export class ContactsStores extends PlacementStores<ContactsStore>(ContactsService, MappedContactsStore) {}
