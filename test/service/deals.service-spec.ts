import { createServiceTesting, ServiceTesting } from '../support/service-testing';
import { DealsModule } from '../../src/crm/deals/deals.module';
import { DealsService } from '../../src/crm/deals/deals.service';

/** Deals: amounts from line items, and every stage change recorded with who made it. */
let testing: ServiceTesting;
let deals: DealsService;

beforeAll(async () => {
  testing = await createServiceTesting([DealsModule]);
  deals = testing.get(DealsService);
});

afterAll(() => testing?.close());

it('records the first stage and every change of stage, by whom, in order', async () => {
  const deal = await testing.asTenant(() => deals.create({ name: 'Fleet renewal' }, 'EUR'));
  expect(deal).toMatchObject({ stage: 'lead', currency: 'EUR' });
  await testing.asTenant(() => deals.update(deal.id, { stage: 'qualified' }));
  await testing.asTenant(() => deals.update(deal.id, { name: 'Fleet renewal 2027' }));
  await testing.asTenant(() => deals.update(deal.id, { stage: 'won' }));

  const { stageHistory } = await testing.asTenant(() => deals.get(deal.id));
  expect(stageHistory?.map(({ fromStage, toStage, changedBy }) => ({ fromStage, toStage, changedBy }))).toEqual([
    { fromStage: null, toStage: 'lead', changedBy: testing.actor.userId },
    { fromStage: 'lead', toStage: 'qualified', changedBy: testing.actor.userId },
    { fromStage: 'qualified', toStage: 'won', changedBy: testing.actor.userId },
  ]);
});

it('computes the amount from the line items, and keeps it when they are not sent again', async () => {
  const deal = await testing.asTenant(() =>
    deals.create(
      {
        name: 'Licences',
        lineItems: [
          { description: 'Seats', quantity: 3, unitPriceMinor: 1_200 },
          { description: 'Onboarding', quantity: 1, unitPriceMinor: 5_000 },
        ],
      },
      'EUR',
    ),
  );
  expect(deal.amountMinor).toBe(8_600);
  const renamed = await testing.asTenant(() => deals.update(deal.id, { name: 'Licences, year one' }));
  expect(renamed.amountMinor).toBe(8_600);
});

it('records each change in the tenant audit trail, with the acting user', async () => {
  const deal = await testing.asTenant(() => deals.create({ name: 'Audited' }, 'EUR'));
  await testing.asTenant(() => deals.update(deal.id, { stage: 'proposal' }));
  const rows = await testing.tenantSql<{ action: string; actor_user_id: string }>(
    'SELECT action, actor_user_id FROM data_audit WHERE entity_id = $1 ORDER BY occurred_at',
    [deal.id],
  );
  expect(rows).toEqual([
    { action: 'create', actor_user_id: testing.actor.userId },
    { action: 'update', actor_user_id: testing.actor.userId },
  ]);
});
