import { ConflictException, Injectable } from '@nestjs/common';
import { findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { RequestContext } from '../../platform/request-context/request-context';
import { CrmEvents } from '../domain-events/crm-events';
import { InventoryItemDto } from './dto/inventory-item.dto';
import { InventoryMovementDto } from './dto/inventory-movement.dto';
import { InventoryItem, ItemStatus } from './entities/inventory-item.entity';
import { InventoryMovement, MovementKind } from './entities/inventory-movement.entity';
import { assertQuantityFits, refusal, stockChange } from './stock-levels';
import { statusAfterMovement } from './stock-status';

export interface Movement {
  kind: MovementKind;
  quantity: number;
  reason: string;
  reference?: string;
}

/**
 * The only way stock changes. One conditional UPDATE applies a movement, so concurrent movements
 * on an item serialize on its row and none can take stock below zero or below what is reserved;
 * the status then follows the new levels by the rule mapped stores share (statusAfterMovement); the movement is recorded in the caller's transaction (an invoice's
 * sale commits or rolls back with the invoice).
 */
@Injectable()
export class StockMovements {
  constructor(
    private readonly context: RequestContext,
    private readonly events: CrmEvents,
  ) {}

  async apply(tx: TenantEntityManager, itemId: string, movement: Movement): Promise<InventoryMovement> {
    assertQuantityFits(movement.kind, movement.quantity);
    const { stockDelta, reservedDelta } = stockChange(movement.kind, movement.quantity);
    const [rows] = await tx.manager.query<[Array<{ stock_on_hand: number; reserved: number; status: ItemStatus }>, number]>(
      `UPDATE inventory_items
          SET stock_on_hand = stock_on_hand + $2,
              reserved = reserved + $3,
              updated_at = now()
        WHERE id = $1 AND deleted_at IS NULL AND status <> 'archived'
          AND stock_on_hand + $2 >= reserved + $3 AND reserved + $3 >= 0
        RETURNING stock_on_hand, reserved, status`,
      [itemId, stockDelta, reservedDelta],
    );
    if (!rows.length) await this.explainRefusal(tx, itemId, movement);
    // The row stays locked by this transaction, so the status follows the levels just written.
    const status = statusAfterMovement(movement.kind, rows[0].status, Number(rows[0].stock_on_hand), Number(rows[0].reserved));
    if (status !== rows[0].status) await tx.manager.query(`UPDATE inventory_items SET status = $2 WHERE id = $1`, [itemId, status]);
    const movements = tx.repository(InventoryMovement);
    const saved = await movements.save(
      movements.create({
        itemId,
        kind: movement.kind,
        quantity: movement.quantity,
        stockAfter: rows[0].stock_on_hand,
        reservedAfter: rows[0].reserved,
        reason: movement.reason,
        reference: movement.reference ?? null,
        createdBy: this.context.actor?.userId ?? null,
      }),
    );
    const item = await findOrFail(tx, InventoryItem, itemId, { name: 'Inventory item' });
    await this.events.raise(tx, 'inventory.stock_changed', {
      record: InventoryItemDto.from(item),
      movement: InventoryMovementDto.from(saved),
    });
    return saved;
  }

  private async explainRefusal(tx: TenantEntityManager, itemId: string, movement: Movement): Promise<never> {
    const item = await findOrFail(tx, InventoryItem, itemId, { name: 'Inventory item', field: 'itemId', problem: 'unknown item' });
    if (item.status === 'archived') throw new ConflictException(`Inventory item ${item.sku} is archived and takes no movements`);
    const reason =
      refusal(movement.kind, movement.quantity, item.stockOnHand, item.reserved) ??
      'The movement conflicts with a concurrent one; try again';
    throw new ConflictException({ message: `${item.sku}: ${reason}`, details: [{ field: 'quantity', problems: [reason] }] });
  }
}
