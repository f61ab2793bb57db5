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
