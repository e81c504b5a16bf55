/**
 * Traffic counters per frontend, backend and server: plain numbers, incremented on the data path, read by the stats
 * lib later. No allocation per event.
 */
export class TrafficCounters {
  /** Connections accepted (frontend) or opened (backend, server). */
  connections = 0;
  /** Current connections (frontend: client connections; server: established or connecting server connections). */
  current = 0;
  requests = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Responses by status class: index 1..5 for 1xx..5xx. */
  readonly responses = [0, 0, 0, 0, 0, 0];
  /** Malformed requests (frontend) or responses (backend/server) dropped. */
  malformed = 0;
  connectErrors = 0;
  retries = 0;
  redispatches = 0;
  timeouts = 0;

  countStatus(status: number): void {
    const c = (status / 100) | 0;
    if (c >= 1 && c <= 5) this.responses[c]!++;
  }

  /** `clear counters all`: every cumulative counter back to 0; `current` (live connections) is a gauge and stays. */
  reset(): void {
    this.connections = this.requests = this.bytesIn = this.bytesOut = 0;
    this.malformed = this.connectErrors = this.retries = this.redispatches = this.timeouts = 0;
    this.responses.fill(0);
  }

  toJSON(): Omit<TrafficCounters, "toJSON" | "countStatus" | "reset"> {
    return { ...this, responses: [...this.responses] };
  }
}
