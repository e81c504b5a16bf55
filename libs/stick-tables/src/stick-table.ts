import { TandemError, type Clock } from '@tandem/core';
import { RATE_SLOTS, freqAdd, freqInit, freqLoad, freqRead, freqState } from './freq-counter.js';
import { normalizeKey } from './key.js';
import {
  STICK_RATE_TYPES,
  type DataFilter,
  type LocalUpdate,
  type RateState,
  type RemoveResult,
  type StickCounterType,
  type StickData,
  type StickDataType,
  type StickEntrySnapshot,
  type StickKey,
  type StickKeyInput,
  type StickTableDefinition,
  type StickUpdate,
} from './stick-table.types.js';

/** Where one stored data type lives in an entry's slot array; `periodMs` is 0 for plain counters. */
interface Slot {
  readonly type: StickDataType;
  readonly offset: number;
  readonly periodMs: number;
}

/**
 * One entry. All stored values sit in one number array (a counter takes one slot, a rate three), so an entry
 * costs two objects whatever the `store` list (measured in stick-table.memory.spec.ts).
 */
class Entry {
  constructor(
    readonly key: StickKey,
    readonly id: number,
    public expiresAt: number,
    /** Update sequence of the last local write; 0 = only ever written by peers. */
    public seq: number,
    /** Streams tracking this entry: while > 0 it neither expires nor is purged. */
    public use: number,
    readonly slots: number[],
  ) {}
}

/** Preallocated updates for the hot-path actions (no allocation per request). */
const CONNECTION_TRACKED: LocalUpdate = { use: 1, add: { conn_cnt: 1, conn_rate: 1, conn_cur: 1 } };
const CONNECTION_RELEASED: LocalUpdate = { use: -1, add: { conn_cur: -1 } };
const SESSION: LocalUpdate = { add: { sess_cnt: 1, sess_rate: 1 } };
const HTTP_REQUEST: LocalUpdate = { add: { http_req_cnt: 1, http_req_rate: 1 } };
const HTTP_ERROR: LocalUpdate = { add: { http_err_cnt: 1, http_err_rate: 1 } };
const GPC0_INC: LocalUpdate = { add: { gpc0: 1, gpc0_rate: 1 } };
const GPC0_CLEAR: LocalUpdate = { set: { gpc0: 0 } };
const GPC1_INC: LocalUpdate = { add: { gpc1: 1, gpc1_rate: 1 } };
const GPC1_CLEAR: LocalUpdate = { set: { gpc1: 0 } };

const RATE_SET: ReadonlySet<StickDataType> = new Set(STICK_RATE_TYPES);

/**
 * A stick table: a Map from normalised key to entry, in least-recently-written order (every write moves the
 * entry to the end), bounded by `size`.
 * - Full table: a new key purges the least recently written entry that no stream tracks; with `nopurge` it is
 *   refused unless that entry has already expired.
 * - Expiry is lazy: an expired entry (and not tracked) is invisible, and reclaimed when it is next accessed, when
 *   room is needed, or by `sweep()`. There are no timers.
 * - Origin (ARCHITECTURE rule 9): `touchLocal` gives the entry the next update sequence number, which
 *   `updatesSince` hands to peers; `touchRemote` never does, so what a peer taught is never taught back.
 */
export class StickTable {
  private readonly entries = new Map<StickKey, Entry>();
  /** The entry set last in `entries` (so at its most recently written end while present). */
  private newest: Entry | undefined;
  private readonly slotOf: Partial<Record<StickDataType, Slot>> = {};
  private readonly layout: readonly Slot[];
  private readonly width: number;
  private seq = 0;
  private nextId = 1;

  constructor(readonly definition: StickTableDefinition, private readonly clock: Clock) {
    validateDefinition(definition);
    const layout: Slot[] = [];
    let offset = 0;
    for (const item of definition.store) {
      const periodMs = 'periodMs' in item ? item.periodMs : 0;
      const slot: Slot = { type: item.type, offset, periodMs };
      layout.push(slot);
      this.slotOf[item.type] = slot;
      offset += periodMs > 0 ? RATE_SLOTS : 1;
    }
    this.layout = layout;
    this.width = offset;
  }

  get name(): string {
    return this.definition.name;
  }

  /** Entries held, including expired ones not reclaimed yet (call `sweep()` first for an exact count). */
  get used(): number {
    return this.entries.size;
  }

  /** The last update sequence number given to a local write. */
  get updateSeq(): number {
    return this.seq;
  }

  stores(type: StickDataType): boolean {
    return this.slotOf[type] !== undefined;
  }

  /** Normalises a key for this table's type; undefined when it cannot be one (an IPv6 address in an ip table). */
  key(input: StickKeyInput): StickKey | undefined {
    // A tracked connection writes and reads its entry several times per request with the same key: remember the
    // last normalisation (parsing an IPv4 text each time showed in the policy benchmark's profile).
    // Only texts and numbers: a byte array could change between calls.
    if (typeof input === 'object') return normalizeKey(input, this.definition.type, this.definition.keyLength);
    if (input === this.lastKeyInput) return this.lastKey;
    const key = normalizeKey(input, this.definition.type, this.definition.keyLength);
    this.lastKeyInput = input;
    this.lastKey = key;
    return key;
  }

  private lastKeyInput: string | number | undefined = undefined;
  private lastKey: StickKey | undefined = undefined;

  // ---- writes -------------------------------------------------------------------------------------------------

  /**
   * A write decided here (HAProxy's stktable_touch_local): creates the entry if needed (unless `create` is
   * false), applies the update, renews the expiry and records the next update sequence number.
   * Data types the table does not store are ignored, as in HAProxy. Returns false when the key is not valid for
   * the table, or the table is full and may not purge.
   */
  touchLocal(input: StickKeyInput, update: LocalUpdate, create = true): boolean {
    const key = this.key(input);
    if (key === undefined) return false;
    const now = this.now();
    const entry = create ? this.obtain(key, now) : this.find(key, now);
    if (!entry) return false;
    if (update.use) entry.use = Math.max(0, entry.use + update.use);
    if (update.set) {
      const set = update.set;
      for (const type in set) {
        const slot = this.slotOf[type as StickCounterType];
        if (slot && slot.periodMs === 0) entry.slots[slot.offset] = set[type as StickCounterType]!;
      }
    }
    if (update.add) {
      const add = update.add;
      for (const type in add) {
        const slot = this.slotOf[type as StickDataType];
        if (!slot) continue;
        const n = add[type as StickDataType]!;
        if (slot.periodMs > 0) freqAdd(entry.slots, slot.offset, slot.periodMs, now, n);
        else entry.slots[slot.offset] = Math.max(0, entry.slots[slot.offset]! + n);
      }
    }
    entry.seq = ++this.seq;
    this.renew(entry, now, this.definition.expireMs);
    return true;
  }

  /**
   * A write learnt from a peer (HAProxy's stktable_touch_remote): stored values are replaced, the expiry is
   * the one the peer sent (or the table's), and no update sequence number is given, so it is never sent back.
   */
  touchRemote(input: StickKeyInput, data: StickData, expiresInMs?: number): boolean {
    const key = this.key(input);
    if (key === undefined) return false;
    const now = this.now();
    const entry = this.obtain(key, now);
    if (!entry) return false;
    for (const slot of this.layout) {
      const value = (data as Record<string, number | RateState | undefined>)[slot.type];
      if (value === undefined) continue;
      if (slot.periodMs > 0) {
        if (typeof value === 'object') freqLoad(entry.slots, slot.offset, now, value);
      } else if (typeof value === 'number') {
        entry.slots[slot.offset] = value;
      }
    }
    this.renew(entry, now, expiresInMs ?? this.definition.expireMs);
    return true;
  }

  // ---- HAProxy actions, each one local write --------------------------------------------------------------------

  /** `track-sc*` on a new connection: use +1, conn_cnt +1, conn_cur +1, conn_rate +1. */
  trackConnection(key: StickKeyInput): boolean {
    return this.touchLocal(key, CONNECTION_TRACKED);
  }

  /** End of a tracked connection: conn_cur -1, use -1 (expiry renewed, as HAProxy touches on release). */
  releaseConnection(key: StickKeyInput): boolean {
    return this.touchLocal(key, CONNECTION_RELEASED, false);
  }

  countSession(key: StickKeyInput): boolean {
    return this.touchLocal(key, SESSION);
  }

  countHttpRequest(key: StickKeyInput): boolean {
    return this.touchLocal(key, HTTP_REQUEST);
  }

  countHttpError(key: StickKeyInput): boolean {
    return this.touchLocal(key, HTTP_ERROR);
  }

  addBytesIn(key: StickKeyInput, bytes: number): boolean {
    return this.touchLocal(key, { add: { bytes_in_cnt: bytes, bytes_in_rate: bytes } });
  }

  addBytesOut(key: StickKeyInput, bytes: number): boolean {
    return this.touchLocal(key, { add: { bytes_out_cnt: bytes, bytes_out_rate: bytes } });
  }

  /** `sc_inc_gpc0`: gpc0 +1 and gpc0_rate +1; returns the new gpc0 (0 when not stored or refused). */
  incGpc0(key: StickKeyInput): number {
    return this.touchLocal(key, GPC0_INC) ? (this.read(key, 'gpc0') ?? 0) : 0;
  }

  /** `sc_clr_gpc0`: sets gpc0 to 0 and returns its previous value. */
  clearGpc0(key: StickKeyInput): number {
    const before = this.read(key, 'gpc0') ?? 0;
    this.touchLocal(key, GPC0_CLEAR);
    return before;
  }

  /** `sc_inc_gpc1` / `sc-inc-gpc1`: gpc1 +1 and gpc1_rate +1; returns the new gpc1 (0 when not stored or refused). */
  incGpc1(key: StickKeyInput): number {
    return this.touchLocal(key, GPC1_INC) ? (this.read(key, 'gpc1') ?? 0) : 0;
  }

  /** `sc_clr_gpc1`: sets gpc1 to 0 and returns its previous value. */
  clearGpc1(key: StickKeyInput): number {
    const before = this.read(key, 'gpc1') ?? 0;
    this.touchLocal(key, GPC1_CLEAR);
    return before;
  }

  /**
   * `sc-set-gpt0(<n>) <v>`: gpt0 becomes v as an unsigned 32-bit integer (HAProxy stores an unsigned int). Only an
   * existing entry is written, and only when the table stores gpt0 (HAProxy's action_set_gpt0 touches nothing else).
   */
  setGpt0(key: StickKeyInput, value: number): boolean {
    if (!this.stores('gpt0')) return false;
    return this.touchLocal(key, { set: { gpt0: Math.trunc(value) >>> 0 } }, false);
  }

  /**
   * The admin socket's `set table <t> key <k> data.<type> <v>`: creates the entry if needed and overwrites each
   * given value; a rate restarts its period now with `v` events (HAProxy sets curr_ctr = v, prev_ctr = 0). Types
   * the table does not store are the caller's error to report; here they are ignored.
   */
  setData(input: StickKeyInput, values: ReadonlyArray<readonly [StickDataType, number]>): boolean {
    const key = this.key(input);
    if (key === undefined) return false;
    const now = this.now();
    const entry = this.obtain(key, now);
    if (!entry) return false;
    for (const [type, value] of values) {
      const slot = this.slotOf[type];
      if (!slot) continue;
      if (slot.periodMs > 0) freqLoad(entry.slots, slot.offset, now, { curr: value, prev: 0, ageMs: 0 });
      else entry.slots[slot.offset] = value;
    }
    entry.seq = ++this.seq;
    this.renew(entry, now, this.definition.expireMs);
    return true;
  }

  /** `stick store-*`: the server an entry sticks to. */
  setServerId(key: StickKeyInput, serverId: number): boolean {
    return this.touchLocal(key, { set: { server_id: serverId } });
  }

  /** `stick match`: the server id, or undefined when the key is absent (or the type not stored). */
  getServerId(key: StickKeyInput): number | undefined {
    return this.read(key, 'server_id');
  }

  // ---- reads --------------------------------------------------------------------------------------------------

  /** One value of one entry now (a rate read at now); undefined when absent, expired or not stored. */
  read(input: StickKeyInput, type: StickDataType): number | undefined {
    const slot = this.slotOf[type];
    const key = this.key(input);
    if (!slot || key === undefined) return undefined;
    const now = this.now();
    const entry = this.find(key, now);
    if (!entry) return undefined;
    return slot.periodMs > 0 ? freqRead(entry.slots, slot.offset, slot.periodMs, now) : entry.slots[slot.offset];
  }

  /** The entry as `show table <t> key <k>` shows it; a lookup does not renew the expiry. */
  lookup(input: StickKeyInput): StickEntrySnapshot | undefined {
    const key = this.key(input);
    if (key === undefined) return undefined;
    const now = this.now();
    const entry = this.find(key, now);
    return entry ? this.snapshotOf(entry, now) : undefined;
  }

  /** Every live entry, least recently written first, optionally filtered like `show table <t> data.<type> <op> <v>`. */
  snapshot(filter?: DataFilter): StickEntrySnapshot[] {
    const now = this.now();
    this.sweep(now);
    const test = filter ? this.filterTest(filter, now) : undefined;
    const out: StickEntrySnapshot[] = [];
    for (const entry of this.entries.values()) {
      if (!test || test(entry)) out.push(this.snapshotOf(entry, now));
    }
    return out;
  }

  /**
   * Entries whose last local write has a sequence number above `since`, in increasing order, for the peers
   * sync. Only the latest local write of an entry is kept, with the entry's current data. O(entries).
   */
  updatesSince(since: number, limit = Number.POSITIVE_INFINITY): StickUpdate[] {
    const now = this.now();
    const picked: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.seq > since && this.isLive(entry, now)) picked.push(entry);
    }
    picked.sort((a, b) => a.seq - b.seq);
    if (picked.length > limit) picked.length = limit;
    return picked.map((entry) => ({ seq: entry.seq, key: entry.key, expiresInMs: this.expiresIn(entry, now), data: this.dataOf(entry, now) }));
  }

  // ---- removal ------------------------------------------------------------------------------------------------

  /** `clear table <t> key <k>`: refused while a stream tracks the entry, as in HAProxy. */
  remove(input: StickKeyInput): RemoveResult {
    const key = this.key(input);
    if (key === undefined) return 'not-found';
    const entry = this.find(key, this.now());
    if (!entry) return 'not-found';
    if (entry.use > 0) return 'in-use';
    this.entries.delete(key);
    return 'removed';
  }

  /** `clear table <t> [data.<type> <op> <v>]`: removes matching entries no stream tracks; returns how many. */
  clear(filter?: DataFilter): number {
    const now = this.now();
    const test = filter ? this.filterTest(filter, now) : undefined;
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (!this.isLive(entry, now)) {
        this.entries.delete(key); // already invisible: reclaimed, not counted
      } else if (entry.use === 0 && (!test || test(entry))) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Reclaims every expired entry that no stream tracks; returns how many. Deleting while iterating a Map is safe. */
  sweep(now = this.now()): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (!this.isLive(entry, now)) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  /** HAProxy works in whole milliseconds; the system clock is fractional. */
  private now(): number {
    return Math.floor(this.clock.now());
  }

  private isLive(entry: Entry, now: number): boolean {
    return entry.use > 0 || entry.expiresAt > now;
  }

  private expiresIn(entry: Entry, now: number): number | undefined {
    return entry.expiresAt === Number.POSITIVE_INFINITY ? undefined : Math.max(0, entry.expiresAt - now);
  }

  /** The live entry for a key; an expired one is reclaimed on the way. */
  private find(key: StickKey, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.isLive(entry, now)) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private obtain(key: StickKey, now: number): Entry | undefined {
    const found = this.find(key, now);
    if (found) return found;
    if (this.entries.size >= this.definition.size && !this.makeRoom(now)) return undefined;
    const slots: number[] = [];
    for (let i = 0; i < this.width; i++) slots.push(0);
    for (const slot of this.layout) if (slot.periodMs > 0) freqInit(slots, slot.offset, now, slot.periodMs);
    const entry = new Entry(key, this.nextId++, now, 0, 0, slots);
    this.entries.set(key, entry);
    this.newest = entry;
    return entry;
  }

  /**
   * Frees one place: the least recently written entry that no stream tracks. It is reclaimed if expired;
   * otherwise purged, unless the table is `nopurge`. Tracked entries at the head are stepped over.
   */
  private makeRoom(now: number): boolean {
    for (const [key, entry] of this.entries) {
      if (entry.use > 0) continue;
      if (entry.expiresAt > now && this.definition.nopurge) return false;
      this.entries.delete(key);
      return true;
    }
    return false;
  }

  /** Moves the entry to the most recently written end and renews its expiry. */
  private renew(entry: Entry, now: number, expireMs: number | undefined): void {
    entry.expiresAt = expireMs === undefined ? Number.POSITIVE_INFINITY : now + expireMs;
    // Already the newest (a busy client writing again): nothing to move. Deletions never reorder the rest, so
    // the entry set last is still last while it is present; renew is only given present entries.
    if (this.newest === entry) return;
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    this.newest = entry;
  }

  private valueOf(entry: Entry, slot: Slot, now: number): number {
    return slot.periodMs > 0 ? freqRead(entry.slots, slot.offset, slot.periodMs, now) : entry.slots[slot.offset]!;
  }

  private snapshotOf(entry: Entry, now: number): StickEntrySnapshot {
    const data: Partial<Record<StickDataType, number>> = {};
    for (const slot of this.layout) data[slot.type] = this.valueOf(entry, slot, now);
    return { id: entry.id, key: entry.key, use: entry.use, expiresInMs: this.expiresIn(entry, now), updateSeq: entry.seq, data };
  }

  private dataOf(entry: Entry, now: number): StickData {
    const data: Record<string, number | RateState> = {};
    for (const slot of this.layout) {
      data[slot.type] = slot.periodMs > 0 ? freqState(entry.slots, slot.offset, now) : entry.slots[slot.offset]!;
    }
    return data as StickData;
  }

  private filterTest(filter: DataFilter, now: number): (entry: Entry) => boolean {
    const slot = this.slotOf[filter.type];
    if (!slot) {
      throw new TandemError('E_STICK_DATA_NOT_STORED', 'control', `data type ${filter.type} is not stored in table ${this.name}`);
    }
    const compare = COMPARE[filter.op];
    if (!compare) throw new TandemError('E_STICK_FILTER', 'control', `unknown operator '${String(filter.op)}' (eq, ne, le, lt, ge, gt)`);
    return (entry) => compare(this.valueOf(entry, slot, now), filter.value);
  }
}

const COMPARE: Record<DataFilter['op'], (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  le: (a, b) => a <= b,
  lt: (a, b) => a < b,
  ge: (a, b) => a >= b,
  gt: (a, b) => a > b,
};

/** Checks what the config parser should already have checked, so a table is never built from nonsense. */
export function validateDefinition(def: StickTableDefinition): void {
  const fail = (why: string): never => {
    throw new TandemError('E_STICK_TABLE_DEFINITION', 'config', `stick-table ${def.name}: ${why}`);
  };
  if (!Number.isInteger(def.size) || def.size < 1) fail(`size must be a positive integer, got ${def.size}`);
  if (def.expireMs !== undefined && (!Number.isInteger(def.expireMs) || def.expireMs < 0)) fail(`expire must be a non-negative integer of ms, got ${def.expireMs}`);
  if (def.keyLength !== undefined && (!Number.isInteger(def.keyLength) || def.keyLength < 1)) fail(`len must be a positive integer, got ${def.keyLength}`);
  const seen = new Set<string>();
  for (const item of def.store) {
    if (seen.has(item.type)) fail(`data type ${item.type} is stored twice`);
    seen.add(item.type);
    const isRate = RATE_SET.has(item.type);
    const periodMs = 'periodMs' in item ? item.periodMs : undefined;
    if (isRate && (periodMs === undefined || !Number.isInteger(periodMs) || periodMs < 1)) fail(`${item.type} needs a period in ms`);
    if (!isRate && periodMs !== undefined) fail(`${item.type} takes no period`);
  }
}
