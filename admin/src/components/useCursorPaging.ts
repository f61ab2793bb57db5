import { useCallback, useEffect, useRef, useState } from 'react';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPaging<T> {
  page: Page<T> | undefined;
  error: unknown;
  hasPrevious: boolean;
  next: () => void;
  previous: () => void;
  /** Loads the page shown again (it may have changed), staying on it. */
  reload: () => Promise<void>;
}

/**
 * Pages through a cursor-paginated list (the API's `nextCursor`): the cursors of the pages seen are kept
 * so "previous" works too; a new `load` (other filters) starts again from the first page, the old
 * filters' rows taken away meanwhile. Only the latest request's answer is shown: a slower, older one
 * arriving after it is dropped.
 */
export function useCursorPaging<T>(load: (cursor: string | undefined) => Promise<Page<T>>): CursorPaging<T> {
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page<T>>();
  const [error, setError] = useState<unknown>();
  const latestRequest = useRef(0);
  // The page last asked for, shown or still loading: a reload while the next page loads reloads that page, not the one
  // it replaces (a follow-up timer firing just after "next" would otherwise take the reader back).
  const requestedCursors = useRef<string[]>([]);

  const show = useCallback(
    async (nextCursors: string[]) => {
      const request = ++latestRequest.current;
      requestedCursors.current = nextCursors;
      try {
        const loaded = await load(nextCursors.at(-1));
        if (request !== latestRequest.current) return;
        setPage(loaded);
        setCursors(nextCursors);
        setError(undefined);
      } catch (failure) {
        if (request === latestRequest.current) setError(failure);
      }
    },
    [load],
  );

  useEffect(() => {
    setPage(undefined);
    setError(undefined);
    void show([]);
  }, [show]);

  const reload = useCallback(() => show(requestedCursors.current), [show]);

  return {
    page,
    error,
    hasPrevious: cursors.length > 0,
    next: () => page?.nextCursor && void show([...cursors, page.nextCursor]),
    previous: () => void show(cursors.slice(0, -1)),
    reload,
  };
}
