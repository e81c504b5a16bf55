import type { Clock } from '@tandem/core';
import type { RuntimeConfig, StickTableConfig } from '@tandem/config';
import type { StickAccess } from '@tandem/policy';
import { StickTable, sampleToKey, type SampleValueType, type StickDataType, type StickKey, type StickTableDefinition } from '@tandem/stick-tables';

/**
 * The stick tables of the running configuration (issue #6), owned by the data plane. A table outlives reloads
 * while its definition (name, type, len, size, expire, nopurge, peers, store) is unchanged; a changed definition
 * gets a new, empty table; a table no longer declared is dropped. Lookups are by name at use time, so sessions of
 * an older generation write to the current table of that name.
 */
export class StickTableRegistry {
  private tables = new Map<string, StickTable>();

  constructor(private readonly clock: Clock) {}

  /** Swaps in the tables of `config` now; returns the names (re)created. */
  apply(config: RuntimeConfig): string[] {
    return this.plan(config).commit();
  }

  /**
   * The tables `config` declares, built but not live: `commit()` swaps them in and returns the names created
   * (new or changed definition). Unchanged definitions keep their table object and entries.
   */
  plan(config: RuntimeConfig): { readonly size: number; commit(): string[] } {
    const next = new Map<string, StickTable>();
    const created: string[] = [];
    for (const p of [...config.frontends, ...config.backends]) {
      const c = p.policy?.stickTable;
      if (!c || next.has(c.name)) continue;
      const def = definitionOf(c);
      const old = this.tables.get(c.name);
      if (old && sameDefinition(old.definition, def)) next.set(c.name, old);
      else {
        next.set(c.name, new StickTable(def, this.clock));
        created.push(c.name);
      }
    }
    return {
      size: next.size,
      commit: () => {
        this.tables = next;
        return created;
      },
    };
  }

  get(name: string | undefined): StickTable | undefined {
    return name === undefined ? undefined : this.tables.get(name);
  }

  /** Every table, in declaration order (`show table`). */
  list(): StickTable[] {
    return [...this.tables.values()];
  }

  get size(): number {
    return this.tables.size;
  }
}

export function definitionOf(c: StickTableConfig): StickTableDefinition {
  const { source: _source, store, ...rest } = c;
  return { ...rest, store: store.map((s) => (s.periodMs !== undefined ? { type: s.type, periodMs: s.periodMs } : { type: s.type })) } as StickTableDefinition;
}

function sameDefinition(a: StickTableDefinition, b: StickTableDefinition): boolean {
  const norm = (d: StickTableDefinition) => JSON.stringify([d.name, d.type, d.keyLength, d.size, d.expireMs, d.nopurge ?? false, d.peers, d.store]);
  return norm(a) === norm(b);
}

interface Tracked {
  readonly table: StickTable;
  readonly key: StickKey;
}

/**
 * The stick counters sc0..sc2 of one client connection (HAProxy's stkctr), tracked by `tcp-request connection`,
 * `tcp-request content` and `http-request track-sc*`. Tracking is per connection: the first matching rule of a
 * counter tracks (use +1, conn_cnt/conn_cur/conn_rate +1), later ones are ignored, and every HTTP request on the
 * connection counts http_req_cnt/http_req_rate on every tracked entry (a newly tracked one included). When the
 * connection ends, conn_cur and use go down. All writes go through the table's touchLocal (rule 9).
 */
export class StickTracker implements StickAccess {
  proxyTable: string | undefined = undefined;
  private readonly slots: Array<Tracked | undefined> = [undefined, undefined, undefined];
  private inHttpRequest = false;
  private released = false;

  constructor(private readonly registry: StickTableRegistry) {}

  track(counter: number, key: string | number | boolean, tableName: string, type?: SampleValueType): void {
    if (this.released || this.slots[counter] !== undefined) return;
    const table = this.registry.get(tableName);
    if (!table) return;
    // The key expression's sample is cast to the table's key type first, as HAProxy does (no cast: no tracking).
    const input = type ? sampleToKey(key, type, table.definition.type) : typeof key === 'boolean' ? undefined : key;
    if (input === undefined) return;
    const k = table.key(input);
    if (k === undefined || !table.trackConnection(k)) return;
    this.slots[counter] = { table, key: k };
    if (this.inHttpRequest) table.countHttpRequest(k);
  }

  /** A new HTTP request on this connection: counts it on every entry tracked so far. */
  beginHttpRequest(): void {
    this.inHttpRequest = true;
    for (const s of this.slots) if (s) s.table.countHttpRequest(s.key);
  }

  /** A 4xx answer (HAProxy's http_err counters). */
  countHttpError(): void {
    for (const s of this.slots) if (s) s.table.countHttpError(s.key);
  }

  readCounter(counter: number, type: string, tableName: string | undefined): number | undefined {
    const s = this.slots[counter];
    if (!s) return undefined;
    const table = tableName === undefined || tableName === s.table.name ? s.table : this.registry.get(tableName);
    if (!table || !table.stores(type as StickDataType)) return undefined;
    return table.read(s.key, type as StickDataType) ?? 0;
  }

  readKey(tableName: string | undefined, key: string, type: string): number | undefined {
    const table = this.registry.get(tableName ?? this.proxyTable);
    if (!table || !table.stores(type as StickDataType)) return undefined;
    return table.read(key, type as StickDataType) ?? 0;
  }

  hasKey(tableName: string, key: string): boolean {
    return this.registry.get(tableName)?.lookup(key) !== undefined;
  }

  incGpc0(counter: number): void {
    const s = this.slots[counter];
    if (s) s.table.incGpc0(s.key);
  }

  incGpc1(counter: number): void {
    const s = this.slots[counter];
    if (s) s.table.incGpc1(s.key);
  }

  setGpt0(counter: number, value: number): void {
    const s = this.slots[counter];
    if (s) s.table.setGpt0(s.key, value);
  }

  updateCounter(counter: number, op: 'inc' | 'clr', type: 'gpc0' | 'gpc1', tableName: string | undefined): number | undefined {
    const s = this.slots[counter];
    if (!s) return undefined;
    const table = tableName === undefined || tableName === s.table.name ? s.table : this.registry.get(tableName);
    return table ? writeCounter(table, s.key, op, type) : undefined;
  }

  updateKey(tableName: string | undefined, key: string, op: 'inc' | 'clr', type: 'gpc0' | 'gpc1'): number | undefined {
    const table = this.registry.get(tableName ?? this.proxyTable);
    return table ? writeCounter(table, key, op, type) : undefined;
  }

  /** The connection ended: conn_cur -1 and use -1 on each tracked entry. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s) s.table.releaseConnection(s.key);
      this.slots[i] = undefined;
    }
  }
}

/**
 * `sc_inc_gpc0|1` / `sc_clr_gpc0|1` (and the src_ forms): the new value after an increment, the previous one after a
 * clear; the entry is created when absent (HAProxy's smp_fetch_sc_inc_gpc0 on a src_ key). 0 when not stored.
 */
function writeCounter(table: StickTable, key: string | StickKey, op: 'inc' | 'clr', type: 'gpc0' | 'gpc1'): number {
  if (op === 'inc') return type === 'gpc0' ? table.incGpc0(key) : table.incGpc1(key);
  return type === 'gpc0' ? table.clearGpc0(key) : table.clearGpc1(key);
}

/** Anything that emits 'close' once (a client socket). */
interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

const trackers = new WeakMap<object, StickTracker>();

/** The tracker of a client connection, created on first use and released when the connection closes. */
export function trackerFor(connection: Closable, registry: StickTableRegistry): StickTracker {
  let t = trackers.get(connection);
  if (!t) {
    const created = new StickTracker(registry);
    trackers.set(connection, (t = created));
    connection.once('close', () => created.release());
  }
  return t;
}
