import { createServiceTesting, ServiceTesting } from '../support/service-testing';
import { ConflictException } from '@nestjs/common';
import { InventoryModule } from '../../src/crm/inventory/inventory.module';
import { InventoryService } from '../../src/crm/inventory/inventory.service';
import { InvoicesModule } from '../../src/crm/invoices/invoices.module';
import { InvoicesService } from '../../src/crm/invoices/invoices.service';

/** Quotes and invoices: server-side totals, the allowed status moves, payments, and the stock an invoice sells. */
let testing: ServiceTesting;
let invoices: InvoicesService;
let inventory: InventoryService;

beforeAll(async () => {
  testing = await createServiceTesting([InvoicesModule, InventoryModule]);
  invoices = testing.get(InvoicesService);
  inventory = testing.get(InventoryService);
});

afterAll(() => testing?.close());

const line = (quantity: string, unitPriceMinor: number, taxRate: string) => ({
  description: 'Consulting',
  quantity,
  unitPriceMinor,
  taxRate,
});

describe('invoice math', () => {
  it('rounds each line half up and totals the rounded lines', async () => {
    const invoice = await testing.asTenant(() => invoices.create({ lines: [line('1.5', 333, '19'), line('3', 1_001, '7.5')] }, 'EUR'));

    // 1.5 × 333 = 499.5 → 500, tax 95; 3 × 1001 = 3003, tax 225.225 → 225.
    expect(invoice.lines.map(({ netMinor, taxMinor }) => ({ netMinor, taxMinor }))).toEqual([
      { netMinor: 500, taxMinor: 95 },
      { netMinor: 3_003, taxMinor: 225 },
    ]);
    expect(invoice).toMatchObject({
      subtotalMinor: 3_503,
      taxMinor: 320,
      totalMinor: 3_823,
      balanceDueMinor: 3_823,
      status: 'draft',
      currency: 'EUR',
    });
  });

  it('numbers invoices without gaps', async () => {
    const first = await testing.asTenant(() => invoices.create({ lines: [line('1', 100, '0')] }, 'EUR'));
    const second = await testing.asTenant(() => invoices.create({ lines: [line('1', 100, '0')] }, 'EUR'));
    expect(second.number).toBe(first.number + 1);
  });
});

describe('status transitions', () => {
  it('moves a draft to sent, takes payments up to the total and marks it paid by the last one', async () => {
    const draft = await testing.asTenant(() => invoices.create({ lines: [line('2', 5_000, '0')] }, 'EUR'));
    const sent = await testing.asTenant(() => invoices.changeStatus(draft.id, 'sent'));
    expect(sent.status).toBe('sent');

    await expect(testing.asTenant(() => invoices.addPayment(draft.id, { amountMinor: 10_001, method: 'bank_transfer' }))).rejects.toThrow(
      'exceeds the balance due of 10000',
    );
    const partly = await testing.asTenant(() => invoices.addPayment(draft.id, { amountMinor: 4_000, method: 'bank_transfer' }));
    expect(partly).toMatchObject({ status: 'sent', paidMinor: 4_000, balanceDueMinor: 6_000 });
    const paid = await testing.asTenant(() => invoices.addPayment(draft.id, { amountMinor: 6_000, method: 'bank_transfer' }));
    expect(paid).toMatchObject({ status: 'paid', balanceDueMinor: 0 });
  });

  it('refuses a move the kind and status do not allow, naming the allowed ones', async () => {
    const draft = await testing.asTenant(() => invoices.create({ lines: [line('1', 100, '0')] }, 'EUR'));
    const refused = testing.asTenant(() => invoices.changeStatus(draft.id, 'accepted'));
    await expect(refused).rejects.toThrow(ConflictException);
    await expect(refused).rejects.toThrow('cannot move from draft to accepted; allowed: sent, void');
  });

  it('refuses to void an invoice that has payments', async () => {
    const draft = await testing.asTenant(() => invoices.create({ lines: [line('1', 1_000, '0')] }, 'EUR'));
    await testing.asTenant(() => invoices.changeStatus(draft.id, 'sent'));
    await testing.asTenant(() => invoices.addPayment(draft.id, { amountMinor: 1, method: 'cash' }));
    await expect(testing.asTenant(() => invoices.changeStatus(draft.id, 'void'))).rejects.toThrow('has payments and cannot be voided');
  });
});

describe('stock sold by an invoice', () => {
  it('sells the quantity when the invoice is sent and returns it when it is voided', async () => {
    const item = await testing.asTenant(() =>
      inventory.create({ sku: 'SVC-1', name: 'Widget', priceSellingMinor: 2_500, initialStock: 10 }, 'EUR'),
    );
    const draft = await testing.asTenant(() => invoices.create({ lines: [{ itemId: item.id, quantity: '4', taxRate: '0' }] }, 'EUR'));
    expect(draft.totalMinor).toBe(10_000);
    expect((await testing.asTenant(() => inventory.get(item.id))).stockOnHand).toBe(10);

    await testing.asTenant(() => invoices.changeStatus(draft.id, 'sent'));
    expect((await testing.asTenant(() => inventory.get(item.id))).stockOnHand).toBe(6);

    await testing.asTenant(() => invoices.changeStatus(draft.id, 'void'));
    expect((await testing.asTenant(() => inventory.get(item.id))).stockOnHand).toBe(10);
  });

  it('sends nothing when the stock is short: the invoice stays a draft and the stock as it was', async () => {
    const item = await testing.asTenant(() =>
      inventory.create({ sku: 'SVC-2', name: 'Gadget', priceSellingMinor: 100, initialStock: 1 }, 'EUR'),
    );
    const draft = await testing.asTenant(() => invoices.create({ lines: [{ itemId: item.id, quantity: '2', taxRate: '0' }] }, 'EUR'));
    await expect(testing.asTenant(() => invoices.changeStatus(draft.id, 'sent'))).rejects.toThrow('Not enough stock to sell 2');
    expect((await testing.asTenant(() => invoices.get(draft.id))).status).toBe('draft');
    expect((await testing.asTenant(() => inventory.get(item.id))).stockOnHand).toBe(1);
  });
});
