/**
 * Types of HAProxy stick tables (doc/configuration.txt, "stick-table"):
 *   stick-table type ip|ipv6|integer|string [len n]|binary [len n] size <n> [expire <t>] [nopurge]
 *               [peers <name>] [store <data_type>[(<period>)],...]
 * Types only; behaviour lives in key.ts, freq-counter.ts and stick-table.ts.
 */

/** The key type of a table. `ip` is IPv4 only; `ipv6` also stores IPv4 as ::ffff:a.b.c.d. */
export type StickKeyType = 'ip' | 'ipv6' | 'integer' | 'string' | 'binary';

/** Data types that hold one number (a counter, a gauge, or an identifier). */
export type StickCounterType =
  | 'server_id'
  | 'gpt0'
  | 'gpc0'
  | 'gpc1'
  | 'conn_cnt'
  | 'conn_cur'
  | 'sess_cnt'
  | 'http_req_cnt'
  | 'http_err_cnt'
  | 'bytes_in_cnt'
  | 'bytes_out_cnt';

/** Data types that are a sliding-period frequency counter; they take a period: `http_req_rate(10s)`. */
export type StickRateType =
  | 'gpc0_rate'
  | 'gpc1_rate'
  | 'conn_rate'
  | 'sess_rate'
  | 'http_req_rate'
  | 'http_err_rate'
  | 'bytes_in_rate'
  | 'bytes_out_rate';

export type StickDataType = StickCounterType | StickRateType;

/**
 * Every data type in HAProxy's enum order (stick_table-t.h, STKTABLE_DT_*), which is the order `show table`
 * prints them in: gpt0 right after server_id, gpc1 and gpc1_rate after bytes_out_rate (HAProxy added them later).
 * The array types (gpc, gpt), server_key and the glitch counters are not supported yet.
 */
export const STICK_DATA_TYPES: readonly StickDataType[] = [
  'server_id',
  'gpt0',
  'gpc0',
  'gpc0_rate',
  'conn_cnt',
  'conn_rate',
  'conn_cur',
  'sess_cnt',
  'sess_rate',
  'http_req_cnt',
  'http_req_rate',
  'http_err_cnt',
  'http_err_rate',
  'bytes_in_cnt',
  'bytes_in_rate',
  'bytes_out_cnt',
  'bytes_out_rate',
  'gpc1',
  'gpc1_rate',
];

export const STICK_RATE_TYPES: readonly StickRateType[] = [
  'gpc0_rate', 'gpc1_rate', 'conn_rate', 'sess_rate', 'http_req_rate', 'http_err_rate', 'bytes_in_rate', 'bytes_out_rate',
];

/** One item of `store`: a counter, or a rate with its period in milliseconds. */
export type StoredDataType =
  | { readonly type: StickCounterType }
  | { readonly type: StickRateType; readonly periodMs: number };

/** Default `len` of string and binary keys (configuration.txt: "len 32" when not specified). */
export const DEFAULT_KEY_LENGTH = 32;

/** A table as declared in the configuration, already validated (sizes and periods in numbers, not "200k"/"10s"). */
export interface StickTableDefinition {
  /** The name of the proxy holding the table, as `show table` prints it. */
  readonly name: string;
  readonly type: StickKeyType;
  /** `len` for string (maximum bytes) and binary (exact bytes) keys; ignored by the other types. */
  readonly keyLength?: number;
  /** Maximum number of entries: a hard bound. */
  readonly size: number;
  /** Entry lifetime after its last write; absent means entries never expire (only purged when full). */
  readonly expireMs?: number;
  /** When full, refuse new keys instead of purging the least recently written one. */
  readonly nopurge?: boolean;
  /** The `peers` section this table is replicated with, if any (the peers lib reads it). */
  readonly peers?: string;
  readonly store: readonly StoredDataType[];
}

/** A key after normalisation: a string for ip, ipv6, string and binary (lowercase hex), a number for integer. */
export type StickKey = string | number;

/** What callers may pass as a key before normalisation. */
export type StickKeyInput = string | number | Uint8Array;

/**
 * The state of one frequency counter as it is replicated: the count of the current period, the count of the
 * previous one, and how long ago the current period started.
 */
export interface RateState {
  readonly curr: number;
  readonly prev: number;
  readonly ageMs: number;
}

/** Stored values as replicated by peers: counters as numbers, rates as their full state. */
export type StickData = { readonly [T in StickCounterType]?: number } & { readonly [T in StickRateType]?: RateState };

/** A local write: `add` increments counters (or counts events on rates), `set` overwrites counters, `use` changes the reference count. */
export interface LocalUpdate {
  readonly add?: { readonly [T in StickDataType]?: number };
  readonly set?: { readonly [T in StickCounterType]?: number };
  /** +1 when a stream starts tracking the entry, -1 when it stops; a referenced entry never expires nor is purged. */
  readonly use?: number;
}

/** One entry as `show table` sees it, with rates read at the time of the snapshot. */
export interface StickEntrySnapshot {
  /** Stable per-entry identifier, printed as HAProxy prints the entry's address (`0x1a:`). */
  readonly id: number;
  readonly key: StickKey;
  readonly use: number;
  /** Milliseconds until expiry; undefined when the table has no `expire`. */
  readonly expiresInMs: number | undefined;
  /** Update sequence number of the last local write, 0 if the entry was only ever written by peers. */
  readonly updateSeq: number;
  readonly data: { readonly [T in StickDataType]?: number };
}

/** An entry to replicate: what `updatesSince(seq)` returns to the peers sync, in increasing `seq` order. */
export interface StickUpdate {
  readonly seq: number;
  readonly key: StickKey;
  readonly expiresInMs: number | undefined;
  readonly data: StickData;
}

/** `show table <name> data.<type> <op> <value>` and `clear table` filters. */
export type DataFilterOperator = 'eq' | 'ne' | 'le' | 'lt' | 'ge' | 'gt';

export interface DataFilter {
  readonly type: StickDataType;
  readonly op: DataFilterOperator;
  readonly value: number;
}

export type RemoveResult = 'removed' | 'not-found' | 'in-use';
