import { replicationNames } from './logical-replication';

describe('replicationNames', () => {
  it('names publication, slot and subscription after the move, within PostgreSQL’s identifier rules', () => {
    const names = replicationNames('0b6f2f4e-1c1d-4b7a-9a8e-2f1d3c4b5a69');
    expect(names.publication).toBe('tenantry_move_0b6f2f4e1c1d4b7a9a8e2f1d3c4b5a69');
    expect(names.slot).toBe(names.publication);
    expect(names.subscription).toBe(names.publication);
    expect(names.slot).toMatch(/^[a-z0-9_]{1,63}$/);
  });
});
