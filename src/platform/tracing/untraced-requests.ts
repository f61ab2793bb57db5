import { IncomingMessage } from 'node:http';

/** Probes that poll every few seconds: a trace each would bury the requests worth reading. */
const PROBE_PATHS = ['/health', '/health/ready', '/metrics'];

/** Whether an incoming request gets no span (nor do the queries it makes). */
export function isUntracedRequest(request: IncomingMessage): boolean {
  const path = request.url?.split('?')[0];
  return path !== undefined && PROBE_PATHS.includes(path);
}
