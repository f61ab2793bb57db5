import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** How the receiver answers one request: a status, a hang (no answer until closed), a redirect, a huge 200, or a 200 echoing the body. */
export type Behaviour = { status: number; body?: string } | 'hang' | 'redirect' | 'huge' | 'echo';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which of the path's secrets (by index) the Standard Webhooks signature verifies with. */
  verifiedWith: number[];
  receivedAt: number;
}

/** Bigger than any sane response excerpt: the sender must cut the connection, not read it all. */
const HUGE_BODY_BYTES = 20 * 1024 * 1024;

/**
 * A real local HTTP receiver for webhook tests. Each path is one endpoint: it answers as planned
 * (a queue of behaviours per path, then its default: 200 unless set), checks signatures with the standardwebhooks package
 * against the secrets it was given for the path, and records everything it got.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly plans = new Map<string, Behaviour[]>();
  private readonly defaults = new Map<string, Behaviour>();
  private readonly secrets = new Map<string, string[]>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => receiver!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const started = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    receiver = started;
    server.on('connection', (socket) => {
      started.sockets.add(socket);
      socket.on('close', () => started.sockets.delete(socket));
    });
    return started;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** The answers to the next requests to `path`, in order; after them, 200. */
  plan(path: string, ...behaviours: Behaviour[]): void {
    this.plans.set(path, [...(this.plans.get(path) ?? []), ...behaviours]);
  }

  /** How `path` answers once its plan is used up (200 unless set). */
  always(path: string, behaviour: Behaviour): void {
    this.defaults.set(path, behaviour);
  }

  /** The secrets the path's signatures are checked against. */
  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.path === path);
  }

  /** Requests to `path` held open right now (a `hang` behaviour). */
  hangingAt(path: string): number {
    return this.hanging.get(path) ?? 0;
  }

  /** Polls until `count` webhooks matching `match` were received; throws after `timeoutMs`. */
  async waitFor(match: (hook: ReceivedWebhook) => boolean, count = 1, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`only ${found.length} of ${count} webhooks arrived within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      this.received.push({
        path,
        headers: request.headers,
        body,
        verifiedWith: this.verify(path, body, request.headers),
        receivedAt: Date.now(),
      });
      this.answer(path, this.plans.get(path)?.shift() ?? this.defaults.get(path) ?? { status: 200 }, response, body);
    });
  }

  private answer(path: string, behaviour: Behaviour, response: ServerResponse, body: string): void {
    if (behaviour === 'echo') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (behaviour === 'hang') {
      this.hanging.set(path, this.hangingAt(path) + 1);
      response.on('close', () => this.hanging.set(path, this.hangingAt(path) - 1));
      return;
    }
    if (behaviour === 'redirect') {
      response.writeHead(302, { location: `${this.baseUrl}${path}/redirected` }).end();
      return;
    }
    if (behaviour === 'huge') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const block = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < HUGE_BODY_BYTES && !response.destroyed) {
          sent += block.length;
          if (!response.write(block)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
      return;
    }
    response.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.body ?? `answered ${behaviour.status}`);
  }

  private verify(path: string, body: string, headers: IncomingHttpHeaders): number[] {
    const signed = {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    };
    return (this.secrets.get(path) ?? []).flatMap((secret, index) => {
      try {
        new Webhook(secret).verify(body, signed);
        return [index];
      } catch {
        return [];
      }
    });
  }
}
