import type { FrontendConfig } from '@tandem/config';
import type { TrafficLogRecord } from '@tandem/logging';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxySocket } from '../io/socket.types.js';
import { clientIp } from '../l7/forwarded-for.js';
import { addressesOf } from '../l7/address-override.js';
import type { FrontendRuntime } from '../runtime.types.js';
import type { HeaderList, RequestView } from '@tandem/policy';
import { logsSamples, sampleReader } from './log-samples.js';
import { nextRequestCounter, txnLogFields, type TxnStamp } from '../l7/txn-runtime.js';

/**
 * The data plane's logging hook: called once at the end of each HTTP transaction and each TCP connection with a
 * plain record. The receiver formats and sends (apps/tandemd wires @tandem/logging); it must not block.
 */
export type TrafficLogHook = (frontend: FrontendConfig, record: TrafficLogRecord) => void;

/** What a FrontendRuntime carries when its frontend logs: the hook, bound, and the process's connection count. */
export interface FrontendTrafficLog {
  emit(record: TrafficLogRecord): void;
  actconn(): number;
  /** The format has `%[…]`: records carry a sample reader over the transaction's view (log-samples.ts). */
  readonly samples?: boolean;
}

const HTTP_ERROR_STATE: Record<number, string> = { 400: 'PR', 408: 'cR', 502: 'SH', 503: 'SC', 504: 'sH' };

/** Timestamps and byte marks of one connection's current transaction, recorded on the data path as numbers only. */
abstract class LogTap {
  /** The accept, or for a later keep-alive request the end of the previous one (HAProxy resets it so). */
  protected acceptWall: number;
  protected acceptAt: number;
  protected startAt: number;
  protected startWall: number;
  protected connectedAt = -1;
  protected statusAt = -1;
  protected status = -1;
  protected bytesOutMark = 0;
  protected bytesInMark = 0;
  protected server: ServerRuntime | undefined;
  /** Bytes of an error response about to be written when the record is made. */
  protected unsent = 0;

  constructor(protected readonly fe: FrontendRuntime, protected readonly client: ProxySocket, protected readonly log: FrontendTrafficLog) {
    this.acceptAt = this.startAt = fe.clock.now();
    this.acceptWall = this.startWall = fe.clock.wallTime();
  }

  connected(server: ServerRuntime): void {
    this.server = server;
    this.connectedAt = this.fe.clock.now();
  }

  protected emit(mode: 'http' | 'tcp', fields: Partial<TrafficLogRecord> & Pick<TrafficLogRecord, 'TR' | 'Ti' | 'Tr' | 'Ta' | 'Tt' | 'termination' | 'requestDate'>, retries: number, backend: BackendRuntime | undefined): void {
    const s = this.server;
    const remote = this.client.remoteAddress;
    const record: TrafficLogRecord = {
      mode,
      acceptDate: this.acceptWall,
      clientIp: remote ? clientIp(remote) : '-',
      clientPort: this.client.remotePort ?? 0,
      ...(this.client.localAddress ? { frontendIp: clientIp(this.client.localAddress), frontendPort: this.client.localPort ?? 0 } : {}),
      ...rewrittenAddresses(this.client),
      frontend: this.fe.config.name,
      frontendTls: 'encrypted' in this.client,
      ...(backend ? { backend: backend.config.name } : {}),
      ...(s ? { server: s.name, serverIp: s.config.endpoint.host, serverPort: s.config.endpoint.port } : {}),
      Th: 0,
      Tw: this.connectedAt < 0 ? -1 : 0,
      Tc: this.connectedAt < 0 ? -1 : Math.max(0, Math.round(this.connectedAt - this.startAt)),
      status: this.status,
      bytesRead: this.client.bytesWritten + this.unsent - this.bytesOutMark,
      bytesUploaded: this.client.bytesRead - this.bytesInMark,
      actconn: this.log.actconn(),
      feconn: this.fe.counters.current,
      beconn: backend ? backend.servers.reduce((n, x) => n + x.counters.current, 0) : 0,
      srvconn: s ? s.counters.current : 0,
      retries,
      redispatched: retries > 0 && backend !== undefined && backend.config.redispatch,
      srvQueue: s ? s.queue.length : 0,
      beQueue: backend ? backend.queue.length : 0,
      ...fields,
    };
    // `show stat`'s qtime/ctime/rtime/ttime (issue #5): averages over the last 1024 transactions that reached a server.
    if (backend && s) {
      backend.counters.times.observe(record.Tw, record.Tc, record.Tr, record.Tt);
      s.counters.times.observe(record.Tw, record.Tc, record.Tr, record.Tt);
    }
    this.log.emit(record);
  }
}

/** `mode http`: one record per transaction (request head to the end of the response, or the error sent). */
export class HttpLogTap extends LogTap {
  private firstByteAt = -1;
  private firstByteWall = 0;
  private headAt = -1;
  private open = false;
  private method: string | undefined;
  private uri: string | undefined;
  private version: string | undefined;
  private requests = 0;
  private logged = 0;
  /** The process-wide request counter of this transaction (`%rt`, HAProxy's global req_count). */
  private counter = 0;
  /** The request view of this transaction, when the frontend has one: unique ID and captures for the record. */
  private view: RequestView | undefined;
  /** The response head's fields, kept only when the format has `%[…]` (`res.hdr()` at log time). */
  private resHeaders: HeaderList | undefined;

  /** Dates and counter of the current transaction, shared with its rules' log-format values (txn-runtime.ts). */
  stamp(): TxnStamp {
    return { acceptDate: this.acceptWall, requestDate: this.firstByteAt >= 0 ? this.firstByteWall : this.fe.clock.wallTime(), requestCounter: this.counter };
  }

  attach(view: RequestView): void {
    this.view = view;
  }

  /** The first byte of a request arrived (Ti ends, TR starts). */
  firstByte(): void {
    if (this.firstByteAt >= 0) return;
    this.firstByteAt = this.fe.clock.now();
    this.firstByteWall = this.fe.clock.wallTime();
  }

  request(head: { readonly method: string; readonly uri: string; readonly minor: number }): void {
    this.firstByte();
    this.headAt = this.fe.clock.now();
    this.open = true;
    this.requests++;
    this.counter = nextRequestCounter();
    this.method = head.method;
    this.uri = head.uri;
    this.version = `HTTP/1.${head.minor}`;
  }

  statusSent(status: number, headers?: HeaderList): void {
    if (headers && this.log.samples) this.resHeaders = headers;
    this.status = status;
    this.statusAt = this.fe.clock.now();
  }

  /**
   * The transaction ended: `done` for a complete response, a status for an error Tandem sent, `abort` when the
   * connection went away. An idle keep-alive connection that closes logs nothing; a connection that never sent
   * a request logs one `CR` line (which `option dontlognull` suppresses).
   */
  end(outcome: 'done' | 'error' | 'abort', retries: number, backend: BackendRuntime | undefined, unsentBytes = 0): void {
    if (!this.open && (outcome === 'done' || (outcome === 'abort' && (this.requests > 0 || this.logged > 0)))) return;
    this.logged++;
    const now = this.fe.clock.now();
    this.unsent = unsentBytes;
    const firstAt = this.firstByteAt >= 0 ? this.firstByteAt : now;
    const ms = (a: number, b: number) => Math.max(0, Math.round(b - a));
    const termination = outcome === 'done' ? '--' : outcome === 'error' ? HTTP_ERROR_STATE[this.status] ?? 'PR' : this.open ? (this.statusAt >= 0 ? 'CD' : 'CH') : 'CR';
    if (this.connectedAt >= 0 && this.connectedAt < this.headAt) this.connectedAt = this.headAt;
    this.startAt = this.headAt >= 0 ? this.headAt : now;
    this.emit('http', {
      requestDate: this.firstByteAt >= 0 ? this.firstByteWall : this.fe.clock.wallTime(),
      Ti: ms(this.acceptAt, firstAt),
      TR: this.headAt >= 0 ? ms(firstAt, this.headAt) : -1,
      Tr: this.connectedAt >= 0 && this.statusAt >= this.connectedAt && outcome !== 'error' ? ms(this.connectedAt, this.statusAt) : -1,
      Ta: ms(firstAt, now),
      Tt: ms(this.acceptAt, now),
      termination,
      ...(this.method ? { method: this.method, uri: this.uri!, version: this.version! } : {}),
      requestCounter: this.counter,
      ...txnLogFields(this.view, this.fe.config),
      ...(this.log.samples && this.view ? { sample: sampleReader(this.view, this.status, this.resHeaders) } : {}),
    }, retries, backend);
    // The next transaction starts from here.
    this.open = false;
    this.firstByteAt = -1;
    this.headAt = -1;
    this.connectedAt = -1;
    this.statusAt = -1;
    this.status = -1;
    this.method = this.uri = this.version = undefined;
    this.view = undefined;
    this.resHeaders = undefined;
    this.server = undefined;
    this.acceptAt = now;
    this.acceptWall = this.fe.clock.wallTime();
    this.bytesOutMark = this.client.bytesWritten + unsentBytes;
    this.unsent = 0;
    this.bytesInMark = this.client.bytesRead;
  }
}

/** `mode tcp`: one record per connection, at its end. */
export class TcpLogTap extends LogTap {
  private timedOut = false;
  private view: RequestView | undefined;

  /** Whether records need a view (the format has `%[…]`); the session then attaches one before the end. */
  get wantsView(): boolean {
    return this.log.samples === true;
  }

  /** The connection's view (the one its content rules ran on, else one made for the log). */
  attach(view: RequestView): void {
    this.view = view;
  }

  timeout(): void {
    this.timedOut = true;
  }

  end(retries: number, backend: BackendRuntime | undefined): void {
    const now = this.fe.clock.now();
    const connected = this.connectedAt >= 0;
    this.emit('tcp', {
      requestDate: this.acceptWall,
      Ti: 0,
      TR: -1,
      Tr: -1,
      Ta: -1,
      Tt: Math.max(0, Math.round(now - this.acceptAt)),
      termination: !connected ? (backend ? 'SC' : 'PC') : this.timedOut ? 'cD' : '--',
      ...(this.view ? { sample: sampleReader(this.view, -1, undefined) } : {}),
    }, retries, backend);
  }
}

export function httpLogTap(fe: FrontendRuntime, client: ProxySocket): HttpLogTap | undefined {
  return fe.trafficLog ? new HttpLogTap(fe, client, fe.trafficLog) : undefined;
}

export function tcpLogTap(fe: FrontendRuntime, client: ProxySocket): TcpLogTap | undefined {
  return fe.trafficLog ? new TcpLogTap(fe, client, fe.trafficLog) : undefined;
}

/** The FrontendRuntime field for a frontend: only when it has log targets and a format. */
export function frontendTrafficLog(hook: TrafficLogHook | undefined, f: FrontendConfig, actconn: () => number, observe?: (record: TrafficLogRecord) => void): { trafficLog?: FrontendTrafficLog } {
  const logs = hook !== undefined && f.log?.format !== undefined && f.log.targets.length > 0;
  if (!logs && !observe) return {};
  // `observe` (the stats latency histograms, issue #5) sees every record too; the hook only when the frontend logs.
  const samples = logs && logsSamples(f) ? { samples: true } : {};
  if (!observe) return { trafficLog: { emit: (record) => hook!(f, record), actconn, ...samples } };
  return { trafficLog: { emit: (record) => (observe(record), logs && hook!(f, record)), actconn, ...samples } };
}

/** `http-request set-src|set-dst…` rewrote the connection's addresses: the log shows them (HAProxy's %ci, %fi…). */
function rewrittenAddresses(client: ProxySocket): Partial<TrafficLogRecord> {
  const a = addressesOf(client);
  return a ? { clientIp: a.src, clientPort: a.srcPort, frontendIp: a.dst, frontendPort: a.dstPort } : {};
}
