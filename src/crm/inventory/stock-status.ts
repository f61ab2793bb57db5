import { FollowingField } from '../../../libs/byod';
import { ItemStatus } from './entities/inventory-item.entity';
import { MovementKind } from './entities/inventory-movement.entity';

/**
 * The status an item has once a movement has left it at these levels, on every placement: in
 * stock it is available (reserved when every unit on hand is reserved); a sale that empties it
 * makes it sold; otherwise, and always when archived, the status stays as it was.
 */
export function statusAfterMovement<Current extends string>(
  kind: MovementKind,
  current: Current,
  stockOnHand: number,
  reserved: number,
): Current | ItemStatus {
  if (current === 'archived') return current;
  if (stockOnHand > 0 && reserved >= stockOnHand) return 'reserved';
  if (stockOnHand > 0) return 'available';
  if (kind === 'sell') return 'sold';
  return current;
}

/**
 * statusAfterMovement for a store without reservations, as data a single conditional statement
 * applies to the new stock (see the byod lib's FollowingField): in stock it is available; a sale
 * that empties it makes it sold; otherwise the status stays. Archived items take no movement at
 * all, so that case needs no rule here.
 */
export function statusRuleWithoutReservations(kind: MovementKind): FollowingField['cases'] {
  const inStock = { when: { op: '>', value: 0 }, value: 'available' satisfies ItemStatus } as const;
  if (kind !== 'sell') return [inStock];
  return [inStock, { when: { op: '<=', value: 0 }, value: 'sold' satisfies ItemStatus }];
}
