import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A minimal raw-socket HTTP/1.1 backend for proxy tests and benchmarks (no node:http, so it is fast and sees the
 * exact bytes). Routes: `/` → 200 body = name; `/bytes/<n>` → n bytes (Content-Length); `/chunked/<n>` → n bytes
 * chunked; `/echo` → the request body (Content-Length); `/slow/<n>/<ms>` → n bytes in 16 KiB pieces every ms;
 * `/hang` → never answers; `/close` → read-until-close body.
 */
export interface StubHttpBackend {
  readonly name: string;
  readonly port: number;
  readonly requests: string[];
  readonly received: () => string;
  connections: number;
  close(): Promise<void>;
}

export async function startStubHttpBackend(name: string): Promise<StubHttpBackend> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  let received = '';
  const state = { connections: 0 };
  const server: Server = createServer((sock) => {
    state.connections++;
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    const handle = (): void => {
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('latin1', 0, end);
        const lines = head.split('\r\n');
        const [method, path] = lines[0]!.split(' ');
        let len = 0;
        let chunked = false;
        for (const l of lines.slice(1)) {
          const [k, ...v] = l.split(':');
          if (k!.toLowerCase() === 'content-length') len = Number(v.join(':').trim());
          if (k!.toLowerCase() === 'transfer-encoding') chunked = true;
        }
        let body: Buffer;
        let consumed: number;
        if (chunked) {
          const term = buf.indexOf('\r\n0\r\n\r\n', end);
          const term0 = buf.indexOf('0\r\n\r\n', end + 4);
          const stop = term0 === end + 4 ? end + 4 + 5 : term >= 0 ? term + 7 : -1;
          if (stop < 0) return;
          body = dechunk(buf.subarray(end + 4, stop));
          consumed = stop;
        } else {
          if (buf.length < end + 4 + len) return;
          body = buf.subarray(end + 4, end + 4 + len);
          consumed = end + 4 + len;
        }
        requests.push(head);
        buf = buf.subarray(consumed);
        respond(sock, name, method!, path!, body);
      }
    };
    sock.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      handle();
    });
  });
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
  return {
    name,
    port,
    requests,
    received: () => received,
    get connections() {
      return state.connections;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  } as StubHttpBackend;
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const le = b.indexOf('\r\n', i);
    if (le < 0) break;
    const n = parseInt(b.toString('latin1', i, le), 16);
    if (!n) break;
    out.push(b.subarray(le + 2, le + 2 + n));
    i = le + 2 + n + 2;
  }
  return Buffer.concat(out);
}

function respond(sock: Socket, name: string, method: string, path: string, body: Buffer): void {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const hdr = (status: string, extra: string, len: number | undefined) =>
    `HTTP/1.1 ${status}\r\nx-served-by: ${name}\r\n${extra}${len === undefined ? '' : `content-length: ${len}\r\n`}\r\n`;
  if (parts[0] === 'hang') return;
  if (parts[0] === 'bytes') {
    const n = Number(parts[1] ?? 0);
    sock.write(hdr('200 OK', '', n));
    if (method !== 'HEAD') sock.write(Buffer.alloc(n, 'x'));
  } else if (parts[0] === 'chunked') {
    const n = Number(parts[1] ?? 0);
    sock.write(hdr('200 OK', 'transfer-encoding: chunked\r\n', undefined));
    let left = n;
    while (left > 0) {
      const p = Math.min(left, 1000);
      sock.write(p.toString(16) + '\r\n' + 'y'.repeat(p) + '\r\n');
      left -= p;
    }
    sock.write('0\r\n\r\n');
  } else if (parts[0] === 'echo') {
    sock.write(Buffer.concat([Buffer.from(hdr('200 OK', '', body.length)), body]));
  } else if (parts[0] === 'close') {
    sock.end(`HTTP/1.1 200 OK\r\nx-served-by: ${name}\r\nconnection: close\r\n\r\nuntil-close`);
  } else if (parts[0] === 'slow') {
    const total = Number(parts[1] ?? 0);
    const every = Number(parts[2] ?? 20);
    sock.write(hdr('200 OK', '', total));
    let sent = 0;
    const tick = () => {
      if (sock.destroyed || sent >= total) return;
      const p = Math.min(16384, total - sent);
      sock.write(Buffer.alloc(p, 'z'));
      sent += p;
      setTimeout(tick, every);
    };
    tick();
  } else {
    const b = method === 'HEAD' ? '' : name;
    sock.write(hdr('200 OK', 'content-type: text/plain\r\n', name.length) + b);
  }
}
