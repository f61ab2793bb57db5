import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isSuccess, postWebhook, ReceiverConnections, RESPONSE_EXCERPT_BYTES } from './webhook-sender';

/** postWebhook against a real local HTTP server: every failure is an outcome, never an exception. */
describe('postWebhook', () => {
  let server: Server;
  let base: string;
  const open = new Set<import('node:net').Socket>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/hang') return;
      if (request.url === '/redirect') return void response.writeHead(307, { location: '/ok' }).end();
      if (request.url === '/big') return void response.end('y'.repeat(10 * RESPONSE_EXCERPT_BYTES));
      if (request.url === '/endless') return void response.write('z'.repeat(2 * RESPONSE_EXCERPT_BYTES));
      response.end('fine');
    });
    server.on('connection', (socket) => (open.add(socket), socket.on('close', () => open.delete(socket))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (
    path: string,
    options = { allowPrivateNetworks: true, timeoutMs: 2_000 },
    signal?: AbortSignal,
    connections?: ReceiverConnections,
  ) => postWebhook({ url: `${base}${path}`, headers: { 'webhook-id': 'msg_1' }, body: '{}' }, options, signal, connections);

  it('succeeds on a 2xx and keeps what the receiver answered', async () => {
    const outcome = await post('/ok');
    expect(outcome).toMatchObject({ statusCode: 200, responseExcerpt: 'fine', error: null });
    expect(isSuccess(outcome)).toBe(true);
  });

  it('fails on a redirect without following it', async () => {
    const outcome = await post('/redirect');
    expect(outcome).toMatchObject({ statusCode: 307, error: expect.stringMatching(/redirects are not followed/) });
    expect(isSuccess(outcome)).toBe(false);
  });

  it('keeps only the first KiB of a long answer', async () => {
    expect((await post('/big')).responseExcerpt).toHaveLength(RESPONSE_EXCERPT_BYTES);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const outcome = await post('/hang', { allowPrivateNetworks: true, timeoutMs: 200 });
    expect(outcome).toMatchObject({ statusCode: null, error: 'no complete answer within 200 ms' });
  });

  it('stops when the attempt is aborted', async () => {
    const controller = new AbortController();
    const pending = post('/hang', undefined, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ statusCode: null, error: 'the attempt was stopped' });
  });

  it('refuses loopback unless private networks are allowed, and a metadata address always, without connecting', async () => {
    expect((await post('/ok', { allowPrivateNetworks: false, timeoutMs: 2_000 })).error).toMatch(/loopback/);
    const metadata = await postWebhook(
      { url: 'http://169.254.169.254/latest', headers: {}, body: '{}' },
      { allowPrivateNetworks: true, timeoutMs: 2_000 },
    );
    expect(metadata).toMatchObject({ statusCode: null, error: expect.stringMatching(/metadata/) });
  });

  it('carries the next delivery on a connection whose answer was read to its end, and closes one whose answer it cut short', async () => {
    const connections = new ReceiverConnections();
    const connected: import('node:net').Socket[] = [];
    const count = (socket: import('node:net').Socket) => connected.push(socket);
    server.on('connection', count);
    try {
      for (let i = 0; i < 3; i += 1) expect(isSuccess(await post('/ok', undefined, undefined, connections))).toBe(true);
      expect(connected).toHaveLength(1);
      expect((await post('/endless', undefined, undefined, connections)).responseExcerpt).toHaveLength(RESPONSE_EXCERPT_BYTES);
      expect(isSuccess(await post('/ok', undefined, undefined, connections))).toBe(true);
      expect(connected).toHaveLength(2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(connected[0].destroyed).toBe(true);
    } finally {
      server.off('connection', count);
      connections.close();
    }
  });
});
