import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { FrontendRuntime } from '../runtime.types.js';

/** What the admin commands read from the data plane: the current generation, in config order (`DataPlane.runtimes()`). */
export interface ProxyRuntimes {
  readonly frontends: readonly FrontendRuntime[];
  readonly backends: readonly BackendRuntime[];
}

/** The data plane as the admin commands see it; a test passes a fake. */
export interface ProxyAdminSource {
  runtimes(): ProxyRuntimes;
  /** A frontend's maxconn rose: connections waiting for a slot may start (the data plane's admission). */
  admitWaiting?(): void;
}

/**
 * HAProxy's proxy ids (`iid`, `be_id`): proxies numbered from 1 in declaration order, a `listen` section being one
 * proxy (its frontend and backend share the id). Declaration order is file order, then line.
 */
export function proxyIds(runtimes: ProxyRuntimes): { frontend(name: string): number; backend(name: string): number } {
  const sections: { kind: 'frontend' | 'backend'; name: string; fromListen: boolean; file: string; line: number }[] = [
    ...runtimes.frontends.map((f) => ({ kind: 'frontend' as const, name: f.config.name, fromListen: f.config.fromListen, file: f.config.source.file, line: f.config.source.line })),
    ...runtimes.backends.map((b) => ({ kind: 'backend' as const, name: b.config.name, fromListen: b.config.fromListen, file: b.config.source.file, line: b.config.source.line })),
  ];
  const fileOrder = new Map<string, number>();
  for (const s of sections) if (!fileOrder.has(s.file)) fileOrder.set(s.file, fileOrder.size);
  sections.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line);
  const frontends = new Map<string, number>();
  const backends = new Map<string, number>();
  const listens = new Map<string, number>();
  let next = 1;
  for (const s of sections) {
    let id = s.fromListen ? listens.get(s.name) : undefined;
    if (id === undefined) {
      id = next++;
      if (s.fromListen) listens.set(s.name, id);
    }
    (s.kind === 'frontend' ? frontends : backends).set(s.name, id);
  }
  return { frontend: (name) => frontends.get(name) ?? 0, backend: (name) => backends.get(name) ?? 0 };
}

/** `host:port`, IPv6 in brackets, as HAProxy prints a server address in `addr`. */
export function serverAddress(server: ServerRuntime): string {
  const { host, port } = server.config.endpoint;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The weight the balancer uses: 0 while the server is drained or in maintenance (HAProxy's eweight). */
export function effectiveWeight(server: ServerRuntime): number {
  return server.state === 'drain' || server.state === 'maint' ? 0 : server.weight;
}
