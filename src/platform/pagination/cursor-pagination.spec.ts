import { encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { toPage, toSortedPage } from './cursor-pagination';

describe('pages', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: `0b7e8f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5${n}`,
    name: `n${n}`,
    createdAt: new Date(`2026-01-0${n}T00:00:00Z`),
  }));

  it('hands out the last item’s position as the cursor when another page exists', () => {
    expect(toPage(rows, 2, (row) => row.name)).toEqual({
      items: ['n1', 'n2'],
      nextCursor: encodeCursor(['2026-01-02T00:00:00.000Z', rows[1].id]),
    });
    expect(
      toSortedPage(
        rows,
        2,
        (row) => row.name,
        (row) => row.name,
      ).nextCursor,
    ).toBe(encodeCursor(['n2', rows[1].id]));
  });

  it('has no cursor on the last page', () => {
    expect(toPage(rows, 3, (row) => row.name)).toEqual({ items: ['n1', 'n2', 'n3'], nextCursor: null });
  });
});
