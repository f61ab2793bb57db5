import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

// One app serves both placements' tests (each makes tenants of its own): an app start and a control plane fewer.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Quotes, invoices and payments over HTTP: exact money, gapless numbers, allowed moves only, stock sold with the invoice. */
describe.each(['pooled', 'dedicated'])('invoices (%s tenant)', (placement) => {
  let platformAdmin: string;

  beforeAll(async () => {
    platformAdmin = await adminToken(t.api);
  });

  async function session(plan = 'enterprise') {
    const { tenant, token } = await tenantAdminSession(t.api, platformAdmin, { placement, plan });
    await t.api.patch('/api/tenant/settings', { currency: 'EUR', address: '1 Harbour Street, Hamburg' }, { token });
    // Billing needs the company address, so the plan's invoices module waits for it to be filled in.
    if (plan === 'enterprise') expect((await t.api.put('/api/tenant/modules/invoices', undefined, { token })).status).toBe(200);
    return { tenant, token };
  }

  const freeLine = (overrides: object = {}) => ({
    description: 'Consulting',
    quantity: '1',
    unitPriceMinor: 10_000,
    taxRate: '19',
    ...overrides,
  });

  it('computes every amount exactly from awkward lines, rounding each line half up, and recomputes a changed draft', async () => {
    const { token } = await session();
    const created = await t.api.post(
      '/api/invoices',
      {
        lines: [
          { description: 'A tenth', quantity: 0.1, unitPriceMinor: 1_000, taxRate: 0 },
          { description: 'Two tenths', quantity: '0.2', unitPriceMinor: 1_000, taxRate: '0' },
          { description: 'A third', quantity: '0.333', unitPriceMinor: 1_000, taxRate: '19' },
          { description: 'Half-cent tax', quantity: '1', unitPriceMinor: 250, taxRate: '7' },
        ],
      },
      { token },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'invoice',
      number: 1,
      displayNumber: 'INV-000001',
      status: 'draft',
      currency: 'EUR',
      subtotalMinor: 100 + 200 + 333 + 250,
      taxMinor: 63 + 18,
      totalMinor: 964,
      balanceDueMinor: 964,
    });
    expect(
      created.body.lines.map((line: { quantity: string; netMinor: number; taxMinor: number }) => [
        line.quantity,
        line.netMinor,
        line.taxMinor,
      ]),
    ).toEqual([
      ['0.1', 100, 0],
      ['0.2', 200, 0],
      ['0.333', 333, 63],
      ['1', 250, 18],
    ]);

    const many = await t.api.post(
      '/api/invoices',
      { lines: Array.from({ length: 200 }, () => freeLine({ quantity: '0.1', unitPriceMinor: 33, taxRate: '7.5' })) },
      { token },
    );
    expect(many.body).toMatchObject({ number: 2, subtotalMinor: 600, taxMinor: 0, totalMinor: 600 });

    const changed = await t.api.patch(
      `/api/invoices/${created.body.id}`,
      { lines: [freeLine({ quantity: '3', unitPriceMinor: 3_333 })], dueDate: '2027-04-30' },
      { token },
    );
    expect(changed.body).toMatchObject({ subtotalMinor: 9_999, taxMinor: 1_900, totalMinor: 11_899, dueDate: '2027-04-30' });
    expect(changed.body.lines).toHaveLength(1);
  });

  it('refuses bad lines with 400 naming each by its path, and stores nothing (not even a number)', async () => {
    const { token } = await session();
    const bad = await t.api.post(
      '/api/invoices',
      {
        lines: [
          freeLine({ quantity: '0.1234' }),
          freeLine({ taxRate: '101' }),
          freeLine({ quantity: 0.1 + 0.2 }),
          { quantity: '1', taxRate: '19' },
        ],
      },
      { token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'lines[0].quantity',
      'lines[1].taxRate',
      'lines[2].quantity',
    ]);
    const unpriced = await t.api.post('/api/invoices', { lines: [{ quantity: '1', taxRate: '19' }] }, { token });
    expect(unpriced.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'lines[0].description',
      'lines[0].unitPriceMinor',
    ]);
    expect((await t.api.post('/api/invoices', { lines: [] }, { token })).body.details[0].field).toBe('lines');
    expect((await t.api.post('/api/invoices', { lines: [freeLine()], totalMinor: 1 }, { token })).body.details[0].field).toBe('totalMinor');
    expect(
      (await t.api.post('/api/invoices', { lines: [freeLine({ unitPriceMinor: Number.MAX_SAFE_INTEGER, quantity: '2' })] }, { token })).body
        .details[0].field,
    ).toBe('lines');
    expect((await t.api.post('/api/invoices', { lines: [freeLine()] }, { token })).body.number).toBe(1);
  });

  it('numbers concurrent creations 1…N without gaps or duplicates, quotes apart from invoices', async () => {
    const { token } = await session();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.api.post(
          '/api/invoices',
          { kind: i % 3 === 0 ? 'quote' : 'invoice', lines: i === 7 ? [freeLine({ taxRate: 'x' })] : [freeLine()] },
          { token },
        ),
      ),
    );
    expect(responses.filter((response) => response.status === 400)).toHaveLength(1);
    const numbers = (kind: string) =>
      responses
        .filter((response) => response.status === 201 && response.body.kind === kind)
        .map((response) => response.body.number)
        .sort((a: number, b: number) => a - b);
    expect(numbers('quote')).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(numbers('invoice')).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });

  it('allows only the documented status moves, naming the allowed ones, and takes payments up to the total', async () => {
    const { token } = await session();
    const invoice = (await t.api.post('/api/invoices', { lines: [freeLine()] }, { token })).body;
    const move = (status: string) => t.api.post(`/api/invoices/${invoice.id}/status`, { status }, { token });
    const pay = (amountMinor: number) =>
      t.api.post(`/api/invoices/${invoice.id}/payments`, { amountMinor, method: 'bank_transfer' }, { token });

    const early = await move('paid');
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('INV-000001 cannot move from draft to paid; allowed: sent, void');
    expect((await pay(100)).body.message).toBe('INV-000001 is draft; only sent invoices take payments');
    expect((await move('sent')).body).toMatchObject({ status: 'sent', sentAt: expect.any(String) });
    expect((await t.api.patch(`/api/invoices/${invoice.id}`, { notes: 'late change' }, { token })).status).toBe(409);

    expect((await pay(4_000)).body).toMatchObject({ status: 'sent', paidMinor: 4_000, balanceDueMinor: 7_900 });
    const over = await pay(7_901);
    expect(over.status).toBe(409);
    expect(over.body.message).toBe('A payment of 7901 exceeds the balance due of 7900 on INV-000001');
    expect((await move('void')).body.message).toBe('INV-000001 has payments and cannot be voided');
    const settled = await Promise.all([pay(7_900), pay(7_900)]);
    expect(settled.map((response) => response.status).sort()).toEqual([201, 409]);
    const paid = (await t.api.get(`/api/invoices/${invoice.id}`, { token })).body;
    expect(paid).toMatchObject({ status: 'paid', paidMinor: 11_900, balanceDueMinor: 0 });
    expect(paid.payments.map((payment: { amountMinor: number }) => payment.amountMinor)).toEqual([4_000, 7_900]);
    expect((await move('void')).body.message).toBe('INV-000001 cannot move from paid to void; no further status changes are allowed');
    const trail = (await t.api.get(`/api/audit?entity=invoice&entityId=${invoice.id}`, { token })).body.items;
    expect(trail).toHaveLength(4);
  });

  it('sells the stock items of an invoice when it is sent, refuses to send without stock, and returns the stock on void', async () => {
    const { token } = await session();
    const item = (
      await t.api.post('/api/inventory/items', { sku: 'VH-1', name: 'Roadster', priceSellingMinor: 2_000_000, initialStock: 3 }, { token })
    ).body;
    const first = (await t.api.post('/api/invoices', { lines: [{ itemId: item.id, quantity: '2', taxRate: '19' }] }, { token })).body;
    expect(first.lines[0]).toMatchObject({ description: 'Roadster', unitPriceMinor: 2_000_000, netMinor: 4_000_000 });
    const second = (await t.api.post('/api/invoices', { lines: [{ itemId: item.id, quantity: 2, taxRate: 19 }] }, { token })).body;
    expect(
      (await t.api.post('/api/invoices', { lines: [{ itemId: item.id, quantity: '1.5', taxRate: '19' }] }, { token })).body.details,
    ).toEqual([{ field: 'lines[0].quantity', problems: ['stock items are sold in whole units'] }]);

    await t.api.post(`/api/invoices/${first.id}/status`, { status: 'sent' }, { token });
    expect((await t.api.get(`/api/inventory/items/${item.id}`, { token })).body.stockOnHand).toBe(1);
    const refused = await t.api.post(`/api/invoices/${second.id}/status`, { status: 'sent' }, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('VH-1: Not enough stock to sell 2: 1 available (1 on hand, 0 reserved)');
    expect((await t.api.get(`/api/invoices/${second.id}`, { token })).body.status).toBe('draft');

    await t.api.post(`/api/invoices/${first.id}/status`, { status: 'void' }, { token });
    expect((await t.api.get(`/api/inventory/items/${item.id}`, { token })).body.stockOnHand).toBe(3);
    const history = (await t.api.get(`/api/inventory/items/${item.id}/movements`, { token })).body.items;
    expect(history.map((m: { kind: string; reference: string | null }) => `${m.kind} ${m.reference}`)).toEqual([
      'receive null',
      'sell INV-000001',
      'receive INV-000001',
    ]);
  });

  it('converts a quote into a draft invoice with the same lines, once', async () => {
    const { token } = await session();
    const quote = (await t.api.post('/api/invoices', { kind: 'quote', lines: [freeLine({ quantity: '2.5' })] }, { token })).body;
    expect(quote.displayNumber).toBe('Q-000001');
    expect((await t.api.post(`/api/invoices/${quote.id}/status`, { status: 'accepted' }, { token })).body.message).toMatch(
      /allowed: sent, declined/,
    );
    await t.api.post(`/api/invoices/${quote.id}/status`, { status: 'sent' }, { token });
    await t.api.post(`/api/invoices/${quote.id}/status`, { status: 'accepted' }, { token });
    const converted = await t.api.post(`/api/invoices/${quote.id}/convert`, undefined, { token });
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({
      kind: 'invoice',
      number: 1,
      status: 'draft',
      quoteId: quote.id,
      totalMinor: quote.totalMinor,
      lines: quote.lines,
    });
    expect((await t.api.get(`/api/invoices/${quote.id}`, { token })).body).toMatchObject({
      status: 'converted',
      convertedInvoiceId: converted.body.id,
    });
    expect((await t.api.post(`/api/invoices/${quote.id}/convert`, undefined, { token })).status).toBe(409);
    expect((await t.api.post(`/api/invoices/${converted.body.id}/convert`, undefined, { token })).body.message).toBe(
      'INV-000001 is an invoice; only quotes are converted',
    );
    expect((await t.api.post(`/api/invoices/${quote.id}/payments`, { amountMinor: 1, method: 'cash' }, { token })).body.message).toBe(
      'Q-000001 is a quote; quotes take no payments',
    );
    const quotes = (await t.api.get('/api/invoices?kind=quote&status=converted', { token })).body.items;
    expect(quotes.map((item: { id: string }) => item.id)).toEqual([quote.id]);
  });

  it('hides each tenant’s documents and items from the others', async () => {
    const mine = await session();
    const theirs = await session();
    const invoice = (await t.api.post('/api/invoices', { lines: [freeLine()] }, { token: mine.token })).body;
    const item = (
      await t.api.post(
        '/api/inventory/items',
        { sku: 'MINE-1', name: 'Mine', priceSellingMinor: 100, initialStock: 5 },
        { token: mine.token },
      )
    ).body;
    expect((await t.api.get(`/api/invoices/${invoice.id}`, { token: theirs.token })).status).toBe(404);
    expect((await t.api.patch(`/api/invoices/${invoice.id}`, { notes: 'x' }, { token: theirs.token })).status).toBe(404);
    expect((await t.api.post(`/api/invoices/${invoice.id}/status`, { status: 'sent' }, { token: theirs.token })).status).toBe(404);
    expect(
      (await t.api.post(`/api/invoices/${invoice.id}/payments`, { amountMinor: 1, method: 'cash' }, { token: theirs.token })).status,
    ).toBe(404);
    const stolen = await t.api.post(
      '/api/invoices',
      { lines: [{ itemId: item.id, quantity: '1', taxRate: '0' }] },
      { token: theirs.token },
    );
    expect(stolen.status).toBe(404);
    expect(stolen.body.details).toEqual([{ field: 'lines[0].itemId', problems: ['unknown item'] }]);
    expect((await t.api.get('/api/invoices', { token: theirs.token })).body.items).toEqual([]);
  });

  it('answers 403 for a plan without the invoices module', async () => {
    const { tenant, token } = await session('professional');
    const response = await t.api.get('/api/invoices', { token });
    expect(response.status).toBe(403);
    expect(response.body.message).toBe(`The invoices module is not enabled for tenant "${tenant.slug}"`);
  });
});
