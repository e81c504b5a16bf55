import { connect } from 'node:net';

/**
 * Sends raw bytes to host:port and collects everything that comes back until the peer closes or `idleMs` passes
 * without data. For tests that must control every byte (request smuggling shapes, pipelining, slow clients).
 */
export function rawExchange(port: number, payload: string | Buffer, options: { host?: string; idleMs?: number; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port });
    let answer = '';
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(idle);
      clearTimeout(hard);
      socket.destroy();
      resolve(answer);
    };
    const hard = setTimeout(finish, options.timeoutMs ?? 10_000);
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, options.idleMs ?? 1_000);
    };
    socket.on('connect', () => {
      socket.write(payload);
      arm();
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      arm();
    });
    socket.on('error', (error) => (answer ? finish() : reject(error)));
    socket.on('close', finish);
  });
}

/** A minimal HTTP GET over a fresh connection (`Connection: close`): status, headers and body. */
export async function httpGet(port: number, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const head = [`GET ${path} HTTP/1.1`, 'Host: test', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const text = await rawExchange(port, head, { idleMs: 5_000 });
  return parseResponse(text);
}

export function parseResponse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const split = text.indexOf('\r\n\r\n');
  const headText = split >= 0 ? text.slice(0, split) : text;
  const [statusLine = '', ...lines] = headText.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: split >= 0 ? text.slice(split + 4) : '' };
}

/**
 * Starts a GET (its own connection) and resolves with the number of body bytes received when the response ends,
 * or when the connection is cut (so a test can assert that a download completed, or that it was aborted).
 */
export function download(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    let body = 0;
    let expected = -1;
    const done = () => resolve(body);
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      if (expected < 0) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head.slice(0, end));
        expected = length ? Number(length[1]) : Number.POSITIVE_INFINITY;
        body = Buffer.byteLength(head.slice(end + 4), 'latin1');
      } else {
        body += chunk.length;
      }
      if (body >= expected) {
        socket.destroy();
        done();
      }
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}
