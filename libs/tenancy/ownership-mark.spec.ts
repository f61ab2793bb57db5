import { formatOwnershipMark, NotOwnedError, OwnershipMark, parseOwnershipMark, sameMark } from './ownership-mark';

const controlPlaneId = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const tenantMark: OwnershipMark = { controlPlaneId, kind: 'tenant', ownerId: 'a1b2c3d4-0000-4000-8000-000000000001' };

describe('ownership marks', () => {
  it('formats as tenantry:<control plane id>:<kind>:<owner id> and parses back to the same mark', () => {
    const comment = formatOwnershipMark(tenantMark);
    expect(comment).toBe(`tenantry:${controlPlaneId}:tenant:a1b2c3d4-0000-4000-8000-000000000001`);
    expect(parseOwnershipMark(comment)).toEqual(tenantMark);
  });

  it('keeps colons inside the owner id (a template’s schema version may contain any character)', () => {
    const mark: OwnershipMark = { controlPlaneId, kind: 'template', ownerId: 'v2:with:colons' };
    expect(parseOwnershipMark(formatOwnershipMark(mark))).toEqual(mark);
  });

  it.each([
    ['no comment', null],
    ['an empty comment', ''],
    ['a comment someone wrote by hand', 'production database, do not drop'],
    ['another prefix', `other:${controlPlaneId}:tenant:x`],
    ['a control plane id that is not a uuid', 'tenantry:not-a-uuid:tenant:x'],
    ['an unknown kind', `tenantry:${controlPlaneId}:cluster:x`],
    ['no owner id', `tenantry:${controlPlaneId}:tenant:`],
    ['an upper-case id (the control plane writes lower case)', `tenantry:${controlPlaneId.toUpperCase()}:tenant:x`],
  ])('reads %s as no mark at all', (_case, comment) => {
    expect(parseOwnershipMark(comment)).toBeNull();
  });

  it('refuses to format a mark that would not parse back', () => {
    expect(() => formatOwnershipMark({ ...tenantMark, controlPlaneId: 'nope' })).toThrow('Not a control plane id');
    expect(() => formatOwnershipMark({ ...tenantMark, ownerId: '' })).toThrow('needs an owner id');
  });

  it('proves ownership only for the same control plane, kind and owner', () => {
    expect(sameMark(tenantMark, { ...tenantMark })).toBe(true);
    expect(sameMark(null, tenantMark)).toBe(false);
    expect(sameMark({ ...tenantMark, controlPlaneId: '00000000-0000-4000-8000-000000000000' }, tenantMark)).toBe(false);
    expect(sameMark({ ...tenantMark, kind: 'pool' }, tenantMark)).toBe(false);
    expect(sameMark({ ...tenantMark, ownerId: 'someone-else' }, tenantMark)).toBe(false);
  });

  it('explains a refusal: not ours at all, or ours for another owner', () => {
    expect(new NotOwnedError('database', 'tenant_x', null, tenantMark).message).toBe(
      'database tenant_x exists and was not created by this control plane; not touching it',
    );
    const foreign = { ...tenantMark, controlPlaneId: '00000000-0000-4000-8000-000000000000' };
    expect(new NotOwnedError('role', 'tenant_x_app', foreign, tenantMark).message).toBe(
      'role tenant_x_app exists and was not created by this control plane; not touching it',
    );
    expect(new NotOwnedError('database', 'tenant_x', { ...tenantMark, ownerId: 'other' }, tenantMark).message).toBe(
      'database tenant_x was created by this control plane for tenant other; not touching it',
    );
  });
});
