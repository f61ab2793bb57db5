import { Button, Group } from '@mantine/core';
import type { CursorPaging } from './useCursorPaging';

/** Previous and next page of a cursor-paginated list. */
export function PageButtons({ paging }: { paging: CursorPaging<unknown> }) {
  return (
    <Group>
      <Button variant="default" disabled={!paging.hasPrevious} onClick={paging.previous}>
        Previous page
      </Button>
      <Button variant="default" disabled={!paging.page?.nextCursor} onClick={paging.next}>
        Next page
      </Button>
    </Group>
  );
}
