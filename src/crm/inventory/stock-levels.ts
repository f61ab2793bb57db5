import { BadRequestException } from '@nestjs/common';
import { MovementKind } from './entities/inventory-movement.entity';

export interface StockChange {
  stockDelta: number;
  reservedDelta: number;
}

/**
 * What a movement does to an item's stock on hand and reservations. `quantity` is positive for
 * every kind but `adjust`, whose sign says the direction (a count found more or fewer units).
 * Whether the result is allowed (nothing negative, never more reserved than on hand) is checked
 * by the database in the same statement that applies it.
 */
export function stockChange(kind: MovementKind, quantity: number): StockChange {
  switch (kind) {
    case 'receive':
    case 'adjust':
      return { stockDelta: quantity, reservedDelta: 0 };
    case 'sell':
      return { stockDelta: -quantity, reservedDelta: 0 };
    case 'reserve':
      return { stockDelta: 0, reservedDelta: quantity };
    case 'release':
      return { stockDelta: 0, reservedDelta: -quantity };
  }
}

/** Why a movement cannot apply to these levels, in the user's terms; null when it can. */
export function refusal(kind: MovementKind, quantity: number, stockOnHand: number, reserved: number): string | null {
  const available = stockOnHand - reserved;
  const { stockDelta, reservedDelta } = stockChange(kind, quantity);
  if (stockOnHand + stockDelta >= reserved + reservedDelta && reserved + reservedDelta >= 0) return null;
  if (kind === 'release') return `Cannot release ${quantity}: only ${reserved} reserved`;
  if (kind === 'adjust') return `Cannot adjust by ${quantity}: ${stockOnHand} on hand, ${reserved} of them reserved`;
  return `Not enough stock to ${kind} ${quantity}: ${available} available (${stockOnHand} on hand, ${reserved} reserved)`;
}

/** Only `adjust` takes a negative quantity (its sign is the direction): 400 naming the quantity otherwise. */
export function assertQuantityFits(kind: MovementKind, quantity: number): void {
  if (kind === 'adjust' || quantity >= 1) return;
  throw new BadRequestException({
    message: `quantity must be positive for ${kind} (only adjust takes a negative quantity)`,
    details: [{ field: 'quantity', problems: ['must be positive for this kind'] }],
  });
}
