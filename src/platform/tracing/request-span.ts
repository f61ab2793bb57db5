import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

/** The span attribute naming the tenant a request was bound to. */
export const TENANT_ID_ATTRIBUTE = 'tenantry.tenant_id';
/** The semantic conventions' name (not imported: the app loads nothing of the SDK's packages when tracing is off). */
const HTTP_ROUTE_ATTRIBUTE = 'http.route';

/**
 * Names each request's server span by its route pattern (`GET /api/contacts/:id`), never by the
 * path with its ids, so spans group by endpoint. Installed only when tracing is configured; a
 * request matching no route keeps the method alone as its name.
 */
export function nameRequestSpansByRoute(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const span = trace.getActiveSpan();
    if (route && span) span.updateName(`${request.method} ${route}`).setAttribute(HTTP_ROUTE_ATTRIBUTE, route);
    done();
  });
}

/**
 * Marks the current request's span with the tenant it was bound to. Without an SDK there is no
 * active span and this does nothing (@opentelemetry/api, loaded anyway by pg-boss, answers undefined).
 */
export function recordTenantOnRequestSpan(tenantId: string): void {
  trace.getActiveSpan()?.setAttribute(TENANT_ID_ATTRIBUTE, tenantId);
}
