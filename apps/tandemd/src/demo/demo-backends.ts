import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoBackend {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The demo's three small HTTP backends on 127.0.0.1 (ephemeral ports). Each answers with its own name, so a few
 * curl calls show the balancing. These are for the demo only; tests use @tandem/testing's stubs.
 */
export async function startDemoBackends(count = 3): Promise<DemoBackend[]> {
  const backends: DemoBackend[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `demo-backend-${i}`;
    const server: Server = createServer((req, res) => {
      const body = `Hello from ${name} (you asked for ${req.method} ${req.url})\n`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'x-served-by': name });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    backends.push({ name, port, close: () => new Promise((resolve) => server.close(() => resolve())) });
  }
  return backends;
}

/** The embedded default configuration: an HTTP frontend and a TCP frontend, balancing by weight over the demo backends. */
export function demoConfig(backends: readonly DemoBackend[], httpPort: number): string {
  const servers = backends
    .map((b, i) => `    server ${b.name} 127.0.0.1:${b.port} weight ${i === backends.length - 1 ? 2 : 1}`)
    .join('\n');
  return `# Tandem's embedded demo configuration (HAProxy syntax). Edit it and send SIGHUP to reload.
global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch

frontend demo_http
    bind 127.0.0.1:${httpPort}
    option forwardfor
    default_backend demo_servers

frontend demo_tcp
    mode tcp
    bind 127.0.0.1:${httpPort + 1}
    default_backend demo_servers_tcp

backend demo_servers
    balance roundrobin
${servers}

backend demo_servers_tcp
    mode tcp
    balance roundrobin
${servers}
`;
}
