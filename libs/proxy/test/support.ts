import { createServer as createNetServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import type { BackendConfig, BindConfig, FrontendConfig, RuntimeConfig, ServerConfig } from '@tandem/config';
import { NULL_LOGGER } from '@tandem/core';
import { DataPlane } from '../src/index.js';

/** Typed builders for hand-made RuntimeConfig objects (the parser is another lib's job). */
const src = { file: 'test.cfg', line: 1 };

export function server(name: string, port: number, over: Partial<ServerConfig> = {}): ServerConfig {
  return {
    name,
    id: over.id ?? 1,
    endpoint: { host: '127.0.0.1', port, family: 4 },
    weight: 1,
    backup: false,
    disabled: false,
    ssl: false,
    check: { enabled: false, inter: 2000, rise: 2, fall: 3 },
    source: src,
    ...over,
  };
}

export function backend(name: string, servers: ServerConfig[], over: Partial<BackendConfig> = {}): BackendConfig {
  return {
    name,
    mode: 'http',
    balance: { algorithm: 'roundrobin', args: [], hashType: 'map-based' },
    servers: servers.map((s, i) => ({ ...s, id: i + 1 })),
    timeouts: { connect: 1000, server: 5000 },
    retries: 3,
    redispatch: false,
    allBackups: false,
    httpReuse: 'safe',
    errorFiles: new Map(),
    healthCheck: { kind: 'tcp', httpchk: [], source: src },
    fromListen: false,
    source: src,
    ...over,
  };
}

export function bind(port = 0, over: Partial<BindConfig> = {}): BindConfig {
  return { address: { kind: 'inet', host: '127.0.0.1', port, family: 4 }, source: { file: 'test.cfg', line: 7 }, ...over };
}

export function frontend(name: string, be: string, binds: BindConfig[], over: Partial<FrontendConfig> = {}): FrontendConfig {
  return {
    name,
    mode: 'http',
    binds,
    defaultBackend: be,
    timeouts: { client: 5000, httpRequest: 2000 },
    errorFiles: new Map(),
    fromListen: false,
    source: src,
    ...over,
  };
}

export function runtimeConfig(frontends: FrontendConfig[], backends: BackendConfig[]): RuntimeConfig {
  return {
    global: { maxconn: 1000, daemon: false, nbthread: 1, tune: { bufsize: 16384, maxrewrite: 1024 }, statsSockets: [], logTargets: [], spreadChecks: 0 },
    frontends,
    backends,
    peers: [],
    userlists: [],
    sources: [],
    warnings: [],
  };
}

export async function startPlane(config: RuntimeConfig): Promise<{ plane: DataPlane; port: number }> {
  const plane = new DataPlane({ logger: NULL_LOGGER });
  await plane.apply(config);
  return { plane, port: plane.listenerAddresses()[0]!.port! };
}

/** Sends raw bytes, collects everything until the server closes or `idleMs` without data. */
export function raw(port: number, payload: string | Buffer, idleMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let out = '';
    let t: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(t);
      s.destroy();
      resolve(out);
    };
    const arm = () => {
      clearTimeout(t);
      t = setTimeout(done, idleMs);
    };
    s.on('data', (d) => {
      out += d.toString('latin1');
      arm();
    });
    s.on('error', done);
    s.on('close', done);
    s.write(payload);
    arm();
  });
}

export function listenPort(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
}

/** A port nobody listens on (bound then closed). */
export async function deadPort(): Promise<number> {
  const s = createNetServer();
  const p = await listenPort(s);
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** Parses one HTTP response text. */
export function parse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const i = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, i).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
  }
  return { status: Number(lines[0]!.split(' ')[1]), headers, body: text.slice(i + 4) };
}
