import { AccessChanges } from '../access-changes';
import { parseAccessChange } from './access-change';
import { AccessChangeFeed } from './access-change-feed';
import { ControlPlaneFeed } from './control-plane-feed';

const TENANT = '0b6f3c1e-8a2d-4c1f-9e7a-2d5b8c4f6a10';
const USER = '7c2e9d4a-1b3f-4e8c-a6d5-9f0e1c2b3a47';

describe('parseAccessChange', () => {
  it('reads each kind the trigger announces, keeping only its fields', () => {
    expect(parseAccessChange(JSON.stringify({ kind: 'tenant', tenantId: TENANT, extra: 1 }))).toEqual({ kind: 'tenant', tenantId: TENANT });
    const membership = { kind: 'membership', userId: USER, tenantId: TENANT };
    expect(parseAccessChange(JSON.stringify(membership))).toEqual(membership);
    expect(parseAccessChange(JSON.stringify({ kind: 'user', userId: USER }))).toEqual({ kind: 'user', userId: USER });
    expect(parseAccessChange(JSON.stringify({ kind: 'roles', tenantId: TENANT }))).toEqual({ kind: 'roles', tenantId: TENANT });
    expect(parseAccessChange(JSON.stringify({ kind: 'plan', plan: 'growth_2' }))).toEqual({ kind: 'plan', plan: 'growth_2' });
    const measurement = { kind: 'measurement', tenantId: TENANT };
    expect(parseAccessChange(JSON.stringify(measurement))).toEqual(measurement);
  });

  it.each([
    ['not JSON', '{kind: tenant'],
    ['not an object', '"tenant"'],
    ['null', 'null'],
    ['an unknown kind', JSON.stringify({ kind: 'pool', poolId: TENANT })],
    ['an inherited kind', JSON.stringify({ kind: 'constructor', tenantId: TENANT })],
    ['a missing id', JSON.stringify({ kind: 'membership', userId: USER })],
    ['an id that is not a uuid', JSON.stringify({ kind: 'tenant', tenantId: 'acme' })],
    ['an id that is not a string', JSON.stringify({ kind: 'user', userId: 42 })],
    ['a plan name of the wrong shape', JSON.stringify({ kind: 'plan', plan: 'Growth Plan' })],
  ])('refuses %s', (_case, payload) => {
    expect(parseAccessChange(payload)).toBeNull();
  });
});

describe('AccessChangeFeed', () => {
  function setUp() {
    const registered: AccessChangeFeed[] = [];
    const feed = { register: (channel: AccessChangeFeed) => registered.push(channel) } as unknown as ControlPlaneFeed;
    const changes = new AccessChanges();
    const heard: string[] = [];
    changes.onTenantChanged((tenantId) => heard.push(`tenant ${tenantId}`));
    changes.onMembershipChanged((userId, tenantId) => heard.push(`membership ${userId} ${tenantId}`));
    changes.onUserChanged((userId) => heard.push(`user ${userId}`));
    changes.onRolesChanged((tenantId) => heard.push(`roles ${tenantId}`));
    changes.onPlanChanged((plan) => heard.push(`plan ${plan}`));
    changes.onUsageMeasured((tenantId) => heard.push(`measurement ${tenantId}`));
    changes.onAnythingMayHaveChanged(() => heard.push('everything'));
    return { channel: new AccessChangeFeed(changes, feed), registered, heard };
  }

  it('registers itself on the change feed under its channel', () => {
    const { channel, registered } = setUp();
    expect(registered).toEqual([channel]);
    expect(channel.channel).toBe('control_plane_changes');
  });

  it('hands each notification to the listeners of its kind', () => {
    const { channel, heard } = setUp();
    channel.received(JSON.stringify({ kind: 'tenant', tenantId: TENANT }));
    channel.received(JSON.stringify({ kind: 'membership', userId: USER, tenantId: TENANT }));
    channel.received(JSON.stringify({ kind: 'user', userId: USER }));
    channel.received(JSON.stringify({ kind: 'roles', tenantId: TENANT }));
    channel.received(JSON.stringify({ kind: 'plan', plan: 'starter' }));
    channel.received(JSON.stringify({ kind: 'measurement', tenantId: TENANT }));
    expect(heard).toEqual([
      `tenant ${TENANT}`,
      `membership ${USER} ${TENANT}`,
      `user ${USER}`,
      `roles ${TENANT}`,
      'plan starter',
      `measurement ${TENANT}`,
    ]);
  });

  it('ignores a notification it cannot read', () => {
    const { channel, heard } = setUp();
    channel.received(JSON.stringify({ kind: 'pool', poolId: TENANT }));
    expect(heard).toEqual([]);
  });

  it('tells every cache to forget everything when it (re)connects', async () => {
    const { channel, heard } = setUp();
    await channel.resync();
    expect(heard).toEqual(['everything']);
  });
});

describe('ControlPlaneFeed.register', () => {
  const config = { get: () => 'postgres://unused' } as never;
  const channel = (name: string) => ({ channel: name, received: () => undefined, resync: () => Promise.resolve() });

  it('refuses a channel name it could not LISTEN on unquoted', () => {
    expect(() => new ControlPlaneFeed(config).register(channel('changes; DROP TABLE users'))).toThrow('Invalid change feed channel');
  });

  it('refuses a channel registered twice, which would silently lose one of its owners', () => {
    const feed = new ControlPlaneFeed(config);
    feed.register(channel('control_plane_changes'));
    expect(() => feed.register(channel('control_plane_changes'))).toThrow('registered twice');
  });
});
