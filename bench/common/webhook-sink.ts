import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A local webhook receiver for benchmarks: answers every POST 200 at once and notes, per record
 * id (`data.record.id` of the body), when it first arrived (performance.now(), the clock the
 * bench's writer uses for commits) and how many times. It does not verify signatures (the
 * e2e tests do): a bench receiver only has to be fast.
 */
export class WebhookSink {
  readonly firstReceivedAt = new Map<string, number>();
  duplicates = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const receivedAt = performance.now();
        response.writeHead(200).end();
        const id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { record: { id: string } } }).data.record.id);
        if (sink!.firstReceivedAt.has(id)) sink!.duplicates += 1;
        else sink!.firstReceivedAt.set(id, receivedAt);
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new WebhookSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink;
  }

  /** Polls until every id of `ids` has arrived or `timeoutMs` passed; returns the ids still missing. */
  async waitForAll(ids: Iterable<string>, timeoutMs: number): Promise<string[]> {
    const deadline = performance.now() + timeoutMs;
    let missing = [...ids];
    for (;;) {
      missing = missing.filter((id) => !this.firstReceivedAt.has(id));
      if (missing.length === 0 || performance.now() > deadline) return missing;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
