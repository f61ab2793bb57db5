import { createServiceTesting, ServiceTesting } from '../support/service-testing';
import { ConflictException } from '@nestjs/common';
import { InventoryModule } from '../../src/crm/inventory/inventory.module';
import { InventoryService } from '../../src/crm/inventory/inventory.service';

/** Stock movements: the only way stock changes, never below zero or below what is reserved. */
let testing: ServiceTesting;
let inventory: InventoryService;

beforeAll(async () => {
  testing = await createServiceTesting([InventoryModule]);
  inventory = testing.get(InventoryService);
});

afterAll(() => testing?.close());

const levels = async (id: string) => {
  const { stockOnHand, reserved, available, status } = await testing.asTenant(() => inventory.get(id));
  return { stockOnHand, reserved, available, status };
};

it('keeps stock on hand and reservations as the movements say, each movement recording the levels after it', async () => {
  const item = await testing.asTenant(() =>
    inventory.create({ sku: 'MOV-1', name: 'Crate', priceSellingMinor: 900, initialStock: 5 }, 'EUR'),
  );
  const moves = [
    { kind: 'receive', quantity: 10, reason: 'Delivery' },
    { kind: 'reserve', quantity: 6, reason: 'Order 17' },
    { kind: 'sell', quantity: 4, reason: 'Counter sale' },
    { kind: 'release', quantity: 2, reason: 'Order 17 reduced' },
    { kind: 'adjust', quantity: -1, reason: 'Stocktake' },
  ] as const;
  const after = [];
  for (const move of moves) after.push(await testing.asTenant(() => inventory.move(item.id, { ...move })));

  expect(after.map(({ stockAfter, reservedAfter }) => [stockAfter, reservedAfter])).toEqual([
    [15, 0],
    [15, 6],
    [11, 6],
    [11, 4],
    [10, 4],
  ]);
  expect(await levels(item.id)).toEqual({ stockOnHand: 10, reserved: 4, available: 6, status: 'available' });
});

it('refuses to sell what is reserved for others, and changes nothing', async () => {
  const item = await testing.asTenant(() =>
    inventory.create({ sku: 'MOV-2', name: 'Pallet', priceSellingMinor: 100, initialStock: 3 }, 'EUR'),
  );
  await testing.asTenant(() => inventory.move(item.id, { kind: 'reserve', quantity: 2, reason: 'Held' }));

  const refused = testing.asTenant(() => inventory.move(item.id, { kind: 'sell', quantity: 2, reason: 'Walk-in' }));
  await expect(refused).rejects.toThrow(ConflictException);
  await expect(refused).rejects.toThrow('Not enough stock to sell 2: 1 available (3 on hand, 2 reserved)');
  expect(await levels(item.id)).toEqual({ stockOnHand: 3, reserved: 2, available: 1, status: 'available' });
});

it('marks an item sold out when a sale takes its last unit', async () => {
  const item = await testing.asTenant(() =>
    inventory.create({ sku: 'MOV-3', name: 'Last one', priceSellingMinor: 100, initialStock: 1 }, 'EUR'),
  );
  await testing.asTenant(() => inventory.move(item.id, { kind: 'sell', quantity: 1, reason: 'Sold' }));
  expect(await levels(item.id)).toMatchObject({ stockOnHand: 0, status: 'sold' });
});
