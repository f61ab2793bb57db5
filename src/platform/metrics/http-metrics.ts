import { FastifyInstance } from 'fastify';
import { AppMetrics } from './app-metrics';

/**
 * Observes every answered request, refused ones included (a guard's 401, a 404 of no route): by its
 * route pattern (`/api/contacts/:id`, never the id itself), so the label set stays bounded.
 */
export function observeHttpRequests(fastify: FastifyInstance, metrics: AppMetrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });
}
