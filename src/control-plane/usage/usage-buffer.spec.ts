import { UsageBuffer } from './usage-buffer';

const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';
const DAY = '2026-12-05';

describe('UsageBuffer', () => {
  it('counts calls, writes and distinct users per tenant and day', () => {
    const buffer = new UsageBuffer(10);
    buffer.record(TENANT_A, DAY, false, 'u1');
    buffer.record(TENANT_A, DAY, true, 'u1');
    buffer.record(TENANT_A, DAY, true, 'u2');
    buffer.record(TENANT_A, '2026-12-06', false, undefined);
    buffer.record(TENANT_B, DAY, false, 'u1');

    const batch = buffer.drain();
    const a = batch.find((usage) => usage.tenantId === TENANT_A && usage.day === DAY);
    expect(a).toMatchObject({ apiCalls: 3, writes: 2 });
    expect([...a!.userIds].sort()).toEqual(['u1', 'u2']);
    expect(batch.find((usage) => usage.day === '2026-12-06')).toMatchObject({ apiCalls: 1, writes: 0, userIds: new Set() });
    expect(batch).toHaveLength(3);
  });

  it('tells the calls of a tenant on a day it has not flushed yet', () => {
    const buffer = new UsageBuffer(10);
    buffer.record(TENANT_A, DAY, false, 'u1');
    buffer.record(TENANT_A, DAY, true, 'u1');
    buffer.record(TENANT_B, DAY, false, 'u1');
    expect(buffer.apiCallsOf(TENANT_A, DAY)).toBe(2);
    expect(buffer.apiCallsOf(TENANT_A, '2026-12-04')).toBe(0);
    buffer.drain();
    expect(buffer.apiCallsOf(TENANT_A, DAY)).toBe(0);
  });

  it('is empty after a drain, so the next flush carries only what came since', () => {
    const buffer = new UsageBuffer(10);
    buffer.record(TENANT_A, DAY, false, 'u1');
    buffer.drain();
    buffer.record(TENANT_A, DAY, true, 'u2');
    expect(buffer.drain()).toEqual([{ tenantId: TENANT_A, day: DAY, apiCalls: 1, writes: 1, userIds: new Set(['u2']) }]);
  });

  it('merges a batch whose flush failed with the counts that came meanwhile, losing nothing', () => {
    const buffer = new UsageBuffer(10);
    buffer.record(TENANT_A, DAY, true, 'u1');
    const failed = buffer.drain();
    buffer.record(TENANT_A, DAY, false, 'u2');
    buffer.restore(failed);
    const [merged] = buffer.drain();
    expect(merged).toMatchObject({ apiCalls: 2, writes: 1 });
    expect([...merged.userIds].sort()).toEqual(['u1', 'u2']);
  });

  it('holds at most maxEntries tenant-days and reports the requests it could not keep', () => {
    const buffer = new UsageBuffer(1);
    buffer.record(TENANT_A, DAY, false, undefined);
    buffer.record(TENANT_B, DAY, false, undefined);
    buffer.record(TENANT_A, DAY, false, undefined);
    expect(buffer.size).toBe(1);
    expect(buffer.takeDropped()).toBe(1);
    expect(buffer.takeDropped()).toBe(0);

    const failed = [{ tenantId: TENANT_B, day: DAY, apiCalls: 4, writes: 0, userIds: new Set<string>() }];
    buffer.restore(failed);
    expect(buffer.takeDropped()).toBe(4);
    expect(buffer.drain()).toEqual([{ tenantId: TENANT_A, day: DAY, apiCalls: 2, writes: 0, userIds: new Set() }]);
  });
});
