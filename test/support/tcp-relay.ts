import { AddressInfo, connect, createServer, Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Closes the listener and cuts every relayed connection: the target looks down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

/** A TCP relay on 127.0.0.1 to `host:port` that a test can take down and bring back. */
export async function startTcpRelay(host: string, port: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (on = 0) =>
    new Promise<number>((resolve) => server.listen(on, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const relayPort = await listen();
  return {
    port: relayPort,
    down: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    up: async () => void (await listen(relayPort)),
  };
}
