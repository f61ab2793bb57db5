import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { FastifyInstance } from 'fastify';
import { ADMIN_CONSOLE_CSP, serveAdminConsole } from './admin-console';

describe('serveAdminConsole', () => {
  /** Holds the build directory and, beside it, a file no URL may reach. */
  let root: string;
  let directory: string;
  let fastify: FastifyInstance;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'admin-console-spec-'));
    directory = join(root, 'build');
    await mkdir(directory);
    await writeFile(join(root, 'outside-admin-console.txt'), 'secret');
    fastify = Fastify();
  });

  afterEach(async () => {
    await fastify.close();
    await rm(root, { recursive: true, force: true });
  });

  async function build(files: Record<string, string>) {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(directory, name, '..'), { recursive: true });
      await writeFile(join(directory, name), content);
    }
  }

  it('serves nothing when the directory holds no build, so /admin is an ordinary 404', async () => {
    expect(await serveAdminConsole(fastify, directory)).toBe(false);
    expect((await fastify.inject({ url: '/admin/' })).statusCode).toBe(404);
  });

  it('caches hashed assets for good and revalidates the page and other files, all under the self-only policy', async () => {
    await build({ 'index.html': '<html>app</html>', 'assets/index-abc123.js': 'run()', 'robots.txt': 'no' });
    expect(await serveAdminConsole(fastify, directory)).toBe(true);

    const asset = await fastify.inject({ url: '/admin/assets/index-abc123.js' });
    expect(asset.body).toBe('run()');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-security-policy']).toBe(ADMIN_CONSOLE_CSP);

    const page = await fastify.inject({ url: '/admin/' });
    expect(page.body).toBe('<html>app</html>');
    expect(page.headers['cache-control']).toBe('no-cache');

    const file = await fastify.inject({ url: '/admin/robots.txt' });
    expect(file.body).toBe('no');
    expect(file.headers['cache-control']).toBe('no-cache');
  });

  it('answers any other console path with the app, a missing asset with 404, and never a file outside the build', async () => {
    await build({ 'index.html': '<html>app</html>' });
    await serveAdminConsole(fastify, directory);

    const deepLink = await fastify.inject({ url: '/admin/tenants/0b6f/anything' });
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.body).toBe('<html>app</html>');
    expect((await fastify.inject({ url: '/admin/assets/gone-000.js' })).statusCode).toBe(404);
    for (const url of [
      '/admin/../outside-admin-console.txt',
      '/admin/..%2Foutside-admin-console.txt',
      '/admin/assets/..%2F..%2Foutside-admin-console.txt',
    ]) {
      expect((await fastify.inject({ url })).body).not.toContain('secret');
    }
  });

  it('redirects /admin to /admin/, where the app is', async () => {
    await build({ 'index.html': '<html>app</html>' });
    await serveAdminConsole(fastify, directory);
    const redirect = await fastify.inject({ url: '/admin' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/admin/');
  });
});
