import type { BackendLoad, TlsDetails, UserlistAuth, VarValue } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import { trackerFor, type StickTableRegistry, type StickTracker } from '../stick/stick-table-registry.js';
import { clientIp } from './forwarded-for.js';
import { backendLoadOf, serverUpIn, tlsDetailsOf } from './view-state.js';

/** The frontend as the view's fetches see it (`fe_conn`, `fe_sess_rate`). */
export type FrontendLike = { readonly config: { readonly name: string }; readonly counters: { readonly current: number; readonly connRate?: { readonly value: number } } };

/** What a connection view needs from the frontend's L7 state. */
export interface ConnectionL7 {
  readonly backends: ReadonlyMap<string, BackendRuntime>;
  readonly stick?: StickTableRegistry | undefined;
  readonly userlists?: UserlistAuth | undefined;
}

/** `sess.` variables of each client connection (HAProxy's session scope). */
const sessionVars = new WeakMap<ProxySocket, Map<string, VarValue>>();

export function sessVarsOf(client: ProxySocket): Map<string, VarValue> {
  let m = sessionVars.get(client);
  if (!m) sessionVars.set(client, (m = new Map()));
  return m;
}

/** HAProxy's usable servers of a backend: active ones in rotation, else the backups. */
export function usableServers(be: BackendRuntime | undefined): number {
  if (!be) return 0;
  let active = 0;
  let backup = 0;
  for (const s of be.servers) if (s.inRotation) s.backup ? backup++ : active++;
  return active || backup;
}

/**
 * What every request view of one client connection shares (addresses, TLS, the stick tracker, `sess.`
 * variables, the state fetches): built once per connection, so a request pays for its own fields only. A class
 * with methods, not an object of closures: with connection-per-request traffic it is built for every request,
 * and nine closures per connection showed in the policy benchmark's new-connections figure.
 */
export class ConnectionView {
  readonly src: string;
  readonly srcPort: number;
  /** Read on first use: `localAddress` costs a getsockname(2) per connection (6.7 µs in the policy bench profile). */
  private dstText: string | undefined = undefined;
  private dstPortNumber: number | undefined = undefined;
  readonly ssl: boolean;
  readonly sni: string | undefined;
  readonly stick: StickTracker | undefined;
  readonly sessVars: Map<string, VarValue>;
  readonly userlists: UserlistAuth | undefined;

  constructor(
    readonly client: ProxySocket,
    ip: string,
    private readonly l7: ConnectionL7,
    private readonly current: () => BackendRuntime | undefined,
    private readonly fe: FrontendLike | undefined,
  ) {
    const tls = client as unknown as { encrypted?: boolean; servername?: string | false };
    this.src = ip;
    this.srcPort = client.remotePort ?? 0;
    this.ssl = tls.encrypted === true;
    this.sni = typeof tls.servername === 'string' ? tls.servername : undefined;
    this.stick = l7.stick ? trackerFor(client, l7.stick) : undefined;
    this.sessVars = sessVarsOf(client);
    this.userlists = l7.userlists;
  }

  get dst(): string {
    return (this.dstText ??= clientIp(this.client.localAddress));
  }

  get dstPort(): number {
    return (this.dstPortNumber ??= this.client.localPort ?? 0);
  }

  private backend(name: string | undefined): BackendRuntime | undefined {
    return name === undefined ? this.current() : this.l7.backends.get(name);
  }

  nbsrv(name: string | undefined): number {
    return usableServers(this.backend(name));
  }

  beConn(name: string | undefined): number {
    return this.backend(name)?.counters.current ?? 0;
  }

  feConn(name: string | undefined): number {
    const fe = this.fe;
    return fe && (name === undefined || name === fe.config.name) ? fe.counters.current : 0;
  }

  /** State and TLS fetches: read from the live objects only when a rule's fetch asks. */
  tls(): TlsDetails | undefined {
    return tlsDetailsOf(this.client);
  }

  backendLoad(name: string | undefined): BackendLoad | undefined {
    const be = this.backend(name);
    return be ? backendLoadOf(be) : undefined;
  }

  serverUp(backend: string, server: string): boolean | undefined {
    return serverUpIn(backend === '' ? this.current() : this.l7.backends.get(backend), server);
  }

  feSessRate(name: string | undefined): number {
    const fe = this.fe;
    return fe && (name === undefined || name === fe.config.name) ? (fe.counters.connRate?.value ?? 0) : 0;
  }
}
