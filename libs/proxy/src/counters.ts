import { EventRate } from './rate.js';
import { CheckRecord, PhaseAverages, StateClock } from './stat-extras.js';

/**
 * Traffic counters per frontend, backend and server: plain numbers, incremented on the data path, read by the stats
 * lib later. No allocation per event.
 *
 * `connections` and `requests` are accessors: each increment also feeds the 1 s rates (`rate`, `req_rate` and
 * their max) and stamps the last event's time (`lastsess`), so the sessions keep writing `counters.x++`.
 */
export class TrafficCounters {
  private conns = 0;
  private reqs = 0;
  /** Connections accepted (frontend) or opened (backend, server). */
  get connections(): number {
    return this.conns;
  }
  set connections(value: number) {
    if (value > this.conns) {
      // One clock read for the rate and lastsess (the rates run on Date.now, see below).
      const t = Date.now();
      this.connRate.addAt(t, value - this.conns);
      this.lastAt = t;
    }
    this.conns = value;
  }
  /** Current connections (frontend: client connections; server: established or connecting server connections). */
  current = 0;
  /** HTTP requests received (frontend, backend) or sent to the server (server: each time it is assigned one). */
  get requests(): number {
    return this.reqs;
  }
  set requests(value: number) {
    if (value > this.reqs) {
      // One clock read for the rate and lastsess (the rates run on Date.now, see below).
      const t = Date.now();
      this.reqRate.addAt(t, value - this.reqs);
      this.lastAt = t;
    }
    this.reqs = value;
  }
  bytesIn = 0;
  bytesOut = 0;
  /** Responses by status class: index 1..5 for 1xx..5xx. */
  readonly responses = [0, 0, 0, 0, 0, 0];
  /** Malformed requests (frontend) or responses (backend/server) dropped. */
  malformed = 0;
  /** Responses replaced by `http-response deny` (HAProxy's denied_resp, `dresp`). */
  deniedResponses = 0;
  /** Requests refused by `http-request deny|tarpit|reject` (HAProxy's denied_req, `dreq`). */
  deniedRequests = 0;
  connectErrors = 0;
  retries = 0;
  redispatches = 0;
  timeouts = 0;
  /** New connections per second (HAProxy's session rate for a frontend, and for TCP backends and servers). */
  readonly connRate = new EventRate();
  /** Requests per second (`req_rate`; the session rate of HTTP backends and servers, one stream per request). */
  readonly reqRate = new EventRate();
  /** Wall-clock ms of the last connection or request (`lastsess`); 0 before any. */
  lastAt = 0;
  /** Servers: the last health check and the check counters. */
  readonly check = new CheckRecord();
  /** Servers: state changes and downtime. */
  readonly state = new StateClock();
  /** Backends and servers: averages over the last 1024 transactions. */
  readonly times = new PhaseAverages();

  countStatus(status: number): void {
    const c = (status / 100) | 0;
    if (c >= 1 && c <= 5) this.responses[c]!++;
  }

  /** `clear counters` (without `all`): the max values restart. */
  clearMax(): void {
    this.connRate.clearMax();
    this.reqRate.clearMax();
  }

  /** `clear counters all`: every cumulative counter back to 0; `current` (live connections) is a gauge and stays. */
  reset(): void {
    this.conns = this.reqs = this.bytesIn = this.bytesOut = 0;
    this.malformed = this.deniedResponses = this.deniedRequests = this.connectErrors = this.retries = this.redispatches = this.timeouts = 0;
    this.responses.fill(0);
    this.connRate.reset();
    this.reqRate.reset();
    this.check.reset();
    this.state.reset();
    this.times.reset();
  }

  toJSON(): TrafficCountersJson {
    return {
      connections: this.conns,
      current: this.current,
      requests: this.reqs,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      responses: [...this.responses],
      malformed: this.malformed,
      connectErrors: this.connectErrors,
      retries: this.retries,
      redispatches: this.redispatches,
      timeouts: this.timeouts,
    };
  }
}

/** The cumulative counters as plain data (the data plane's snapshot). */
export interface TrafficCountersJson {
  connections: number;
  current: number;
  requests: number;
  bytesIn: number;
  bytesOut: number;
  responses: number[];
  malformed: number;
  connectErrors: number;
  retries: number;
  redispatches: number;
  timeouts: number;
}
