import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * Stub servers for integration tests and scenarios, on 127.0.0.1 with ephemeral ports. Each records what reached
 * it, so a test can assert that a rejected request was never forwarded.
 */
export interface StubBackend {
  readonly name: string;
  readonly port: number;
  /** Requests (HTTP) or connections (TCP) received. */
  readonly hits: number;
  /** Every byte received, as latin1 text. */
  readonly received: string;
  /** Headers of the last HTTP request. */
  readonly lastHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** Requests received for one path (HTTP stubs), e.g. how many health checks reached it. */
  hitsOn(path: string): number;
  /** What `/healthz` answers from now on (HTTP stubs; default 200 with {"status":"ok"}). */
  setHealth(status: number, body: string): void;
  close(): Promise<void>;
}

/**
 * An HTTP/1.1 stub. Routes:
 *   /              -> 200, body = the backend's name, header x-served-by
 *   /bytes/<n>     -> 200, n bytes of 'x' (Content-Length)
 *   /slow/<n>/<ms> -> 200, n bytes sent in 16 KiB pieces every <ms> ms (a long download)
 *   /echo          -> 200, echoes the request body
 *   /status/<code> -> that status
 *   /healthz       -> what setHealth() says (200 {"status":"ok"} by default), for health-check tests
 */
export async function startHttpStub(name: string): Promise<StubBackend> {
  let hits = 0;
  let received = '';
  let lastHeaders: IncomingMessage['headers'] = {};
  const perPath = new Map<string, number>();
  let health = { status: 200, body: '{"status":"ok"}' };
  const sockets = new Set<Socket>();
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    hits++;
    lastHeaders = req.headers;
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    perPath.set(path, (perPath.get(path) ?? 0) + 1);
    const parts = path.split('/').filter(Boolean);
    res.setHeader('x-served-by', name);
    if (parts[0] === 'healthz') {
      res.writeHead(health.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(health.body) });
      res.end(health.body);
    } else if (parts[0] === 'bytes') {
      const n = Number(parts[1] ?? 0);
      res.writeHead(200, { 'content-length': n, 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(n, 'x'));
    } else if (parts[0] === 'slow') {
      const total = Number(parts[1] ?? 0);
      const every = Number(parts[2] ?? 50);
      res.writeHead(200, { 'content-length': total, 'content-type': 'application/octet-stream' });
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        const piece = Math.min(16 * 1024, total - sent);
        sent += piece;
        res.write(Buffer.alloc(piece, 'y'));
        if (sent < total) setTimeout(tick, every);
        else res.end();
      };
      tick();
    } else if (parts[0] === 'echo') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      });
    } else if (parts[0] === 'status') {
      res.writeHead(Number(parts[1] ?? 200), { 'content-length': 0 });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(name) });
      res.end(name);
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  });
  const port = await listen(server);
  return {
    name,
    port,
    get hits() { return hits; },
    get received() { return received; },
    get lastHeaders() { return lastHeaders; },
    hitsOn: (path: string) => perPath.get(path) ?? 0,
    setHealth: (status: number, body: string) => { health = { status, body }; },
    close: () => closeServer(server, sockets),
  };
}

/** A TCP stub: sends `<name>\n` on connect, then echoes whatever it receives. */
export async function startTcpStub(name: string): Promise<StubBackend> {
  let hits = 0;
  let received = '';
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    hits++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(`${name}\n`);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      socket.write(chunk);
    });
    socket.on('end', () => socket.end());
  });
  const port = await listen(server);
  return {
    name,
    port,
    get hits() { return hits; },
    get received() { return received; },
    lastHeaders: {},
    hitsOn: () => 0,
    setHealth: () => undefined,
    close: () => closeServer(server, sockets),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port on 127.0.0.1 where nothing listens: connections to it are refused. */
export async function refusedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
