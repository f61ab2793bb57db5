import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the console lives in the URL space; the SPA is built with the same base (admin/vite.config.mts). */
export const ADMIN_CONSOLE_PATH = '/admin';

/**
 * The console's own content security policy, stricter than the API's (which Swagger UI loosens):
 * scripts, styles and calls come only from this origin, nothing inline, no framing.
 */
export const ADMIN_CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names bundled files by their content hash: a name never changes meaning, so browsers keep them a year. */
const HASHED_ASSETS = 'assets/';

/**
 * Serves the built admin console (the SPA of admin/, built into `directory`) at /admin: hashed assets
 * cached for good, index.html revalidated every time (so a deploy is seen at once), and any other
 * path under /admin answered with index.html, where the SPA's router takes it. Returns false (and
 * serves nothing) when `directory` holds no build.
 */
export async function serveAdminConsole(fastify: FastifyInstance, directory: string): Promise<boolean> {
  if (!existsSync(join(directory, 'index.html'))) return false;
  await fastify.register(fastifyStatic, { root: directory, serve: false });
  fastify.get(ADMIN_CONSOLE_PATH, (_request, reply) => reply.redirect(`${ADMIN_CONSOLE_PATH}/`, 301));
  fastify.get<{ Params: { '*': string } }>(`${ADMIN_CONSOLE_PATH}/*`, (request, reply) => {
    reply.header('content-security-policy', ADMIN_CONSOLE_CSP);
    const file = request.params['*'];
    if (file.startsWith(HASHED_ASSETS)) {
      return reply.sendFile(file, { immutable: true, maxAge: '365d' });
    }
    return isFileIn(directory, file) ? sendRevalidated(reply, file) : sendRevalidated(reply, 'index.html');
  });
  return true;
}

function sendRevalidated(reply: FastifyReply, file: string): FastifyReply {
  reply.header('cache-control', 'no-cache');
  return reply.sendFile(file, { cacheControl: false });
}

/** A regular file inside the build (a path climbing out of it never is: send refuses those too). */
function isFileIn(directory: string, file: string): boolean {
  if (file === '' || normalize(file).startsWith('..')) return false;
  const path = join(directory, file);
  return existsSync(path) && statSync(path).isFile();
}
