import { useCallback, useEffect } from 'react';
import type { WebhooksApi } from '../../api/webhooks';
import { useCursorPaging } from '../useCursorPaging';

const FOLLOW_INTERVAL_MS = 1000;

/** The endpoint's delivery log in pages (newest first); the page shown is loaded again while one of its deliveries is pending. */
export function useDeliveryLog(hooks: WebhooksApi, endpointId: string) {
  const load = useCallback((cursor: string | undefined) => hooks.deliveries(endpointId, cursor), [hooks, endpointId]);
  const paging = useCursorPaging(load);
  const { page, reload } = paging;
  useEffect(() => {
    if (!page?.items.some((delivery) => delivery.status === 'pending')) return;
    const timer = setTimeout(() => void reload(), FOLLOW_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [page, reload]);
  return paging;
}
