import type { SampleType } from '../policy-config.types.js';
import { notImplementedMessage } from './not-implemented.js';

/**
 * The converters of HAProxy 2.6's section 7.3.1 beyond the string/ip basics of sample-expr.ts: names, argument
 * counts, output type and argument checks at load. Binary outputs (`sha1`, `digest`, `b64dec`, `bytes`, `htonl`)
 * are typed `str`: Tandem carries binary samples as latin1 strings (one char per byte, as header values are).
 */
export interface ConverterSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly out: SampleType;
  /** An error text for bad arguments, or undefined. */
  readonly check?: (args: readonly string[]) => string | undefined;
}

/** `<scope>.<name>` as HAProxy's variables are written. */
export const VAR_NAME = /^(proc|sess|txn|req|res)\.[A-Za-z0-9_.-]+$/;
const isInt = (s: string | undefined): boolean => s !== undefined && /^[+-]?\d+$/.test(s);

const intOrVar = (args: readonly string[]): string | undefined => (isInt(args[0]) || VAR_NAME.test(args[0] ?? '') ? undefined : `'${args[0] ?? ''}' is neither an integer nor a variable name (<scope>.<name>)`);
const varArg = (args: readonly string[]): string | undefined => (VAR_NAME.test(args[0] ?? '') ? undefined : `'${args[0] ?? ''}' is not a variable name (<scope>.<name> with scope proc, sess, txn, req or res)`);
const optInt = (args: readonly string[]): string | undefined => (args[0] === undefined || isInt(args[0]) ? undefined : `'${args[0]}' is not an integer`);
const tableArg = (args: readonly string[]): string | undefined => (args[0] ? undefined : 'expects a stick-table name');

/** HAProxy's digest algorithms (OpenSSL names) mapped to node's. */
export const DIGESTS: Readonly<Record<string, string>> = {
  md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
  'sha512-224': 'sha512-224', 'sha512-256': 'sha512-256', sha3_224: 'sha3-224', sha3_256: 'sha3-256', sha3_384: 'sha3-384', sha3_512: 'sha3-512',
  'sha3-224': 'sha3-224', 'sha3-256': 'sha3-256', 'sha3-384': 'sha3-384', 'sha3-512': 'sha3-512', blake2b512: 'blake2b512', blake2s256: 'blake2s256',
};
const digestArg = (args: readonly string[]): string | undefined => (DIGESTS[(args[0] ?? '').toLowerCase()] ? undefined : `unknown digest algorithm '${args[0] ?? ''}' (valid: ${Object.keys(DIGESTS).join(' ')})`);

const TIME_UNITS = new Set(['s', 'ms', 'us']);
const JSON_CODES = new Set(['ascii', 'utf8', 'utf8s', 'utf8p', 'utf8ps']);

/**
 * The stick-table data a `table_<d>(<table>)` converter reads (the entry keyed by the input sample), by converter
 * suffix → the store's data type. server_id and the array types (gpc, gpt) are refused.
 */
export const TABLE_CONVERTER_DATA: Readonly<Record<string, string>> = {
  http_req_rate: 'http_req_rate', http_req_cnt: 'http_req_cnt', http_err_rate: 'http_err_rate', http_err_cnt: 'http_err_cnt',
  conn_cur: 'conn_cur', conn_rate: 'conn_rate', conn_cnt: 'conn_cnt', sess_rate: 'sess_rate', sess_cnt: 'sess_cnt',
  gpc0: 'gpc0', gpc0_rate: 'gpc0_rate', bytes_in_rate: 'bytes_in_rate', bytes_out_rate: 'bytes_out_rate',
  kbytes_in: 'bytes_in_cnt', kbytes_out: 'bytes_out_cnt',
  gpc1: 'gpc1', gpc1_rate: 'gpc1_rate', gpt0: 'gpt0',
};

const hashSpec: ConverterSpec = { minArgs: 0, maxArgs: 1, out: 'int', check: optInt };
const arith: ConverterSpec = { minArgs: 1, maxArgs: 1, out: 'int', check: intOrVar };
const noArg = (out: SampleType): ConverterSpec => ({ minArgs: 0, maxArgs: 0, out });

export const EXTRA_CONVERTERS: Readonly<Record<string, ConverterSpec>> = {
  base64: noArg('str'),
  b64dec: noArg('str'),
  hex: noArg('str'),
  hex2i: noArg('int'),
  length: noArg('int'),
  ltime: { minArgs: 1, maxArgs: 2, out: 'str', check: (a) => optInt(a.slice(1)) },
  utime: { minArgs: 1, maxArgs: 2, out: 'str', check: (a) => optInt(a.slice(1)) },
  http_date: { minArgs: 0, maxArgs: 2, out: 'str', check: (a) => optInt(a) ?? (a[1] === undefined || TIME_UNITS.has(a[1]) ? undefined : `unit '${a[1]}' (valid: s, ms, us)`) },
  sdbm: hashSpec, djb2: hashSpec, crc32: hashSpec, crc32c: hashSpec, wt6: hashSpec, xxh32: hashSpec, xxh64: hashSpec,
  add: arith, sub: arith, mul: arith, div: arith, mod: arith, and: arith, or: arith, xor: arith,
  neg: noArg('int'),
  cpl: noArg('int'),
  odd: noArg('bool'),
  even: noArg('bool'),
  bytes: { minArgs: 1, maxArgs: 2, out: 'str', check: (a) => (a.every((x) => /^\d+$/.test(x)) ? undefined : `offset and length must be non-negative integers, got '${a.join(',')}'`) },
  concat: { minArgs: 1, maxArgs: 3, out: 'str', check: (a) => (a[1] === undefined || a[1] === '' || VAR_NAME.test(a[1]) ? undefined : `'${a[1]}' is not a variable name (<scope>.<name>)`) },
  strcmp: { minArgs: 1, maxArgs: 1, out: 'int', check: varArg },
  secure_memcmp: { minArgs: 1, maxArgs: 1, out: 'bool', check: varArg },
  url_dec: { minArgs: 0, maxArgs: 1, out: 'str', check: optInt },
  url_enc: { minArgs: 0, maxArgs: 1, out: 'str', check: (a) => (a[0] === undefined || a[0] === 'query' ? undefined : `encoding type '${a[0]}' (valid: query)`) },
  iif: { minArgs: 2, maxArgs: 2, out: 'str' },
  ltrim: { minArgs: 1, maxArgs: 1, out: 'str' },
  rtrim: { minArgs: 1, maxArgs: 1, out: 'str' },
  host_only: noArg('str'),
  port_only: noArg('int'),
  htonl: noArg('str'),
  json: { minArgs: 0, maxArgs: 1, out: 'str', check: (a) => (a[0] === undefined || a[0] === '' || JSON_CODES.has(a[0]) ? undefined : `input code '${a[0]}' (valid: ${[...JSON_CODES].join(' ')})`) },
  json_query: { minArgs: 1, maxArgs: 2, out: 'str', check: (a) => (!a[0]!.startsWith('$') ? `JSON path '${a[0]}' must start with '$'` : a[1] === undefined || a[1] === 'int' ? undefined : `output type '${a[1]}' (valid: int)`) },
  digest: { minArgs: 1, maxArgs: 1, out: 'str', check: digestArg },
  hmac: { minArgs: 2, maxArgs: 2, out: 'str', check: (a) => digestArg(a) ?? (/^[A-Za-z0-9+/]*={0,2}$/.test(a[1]!) || VAR_NAME.test(a[1]!) ? undefined : `key '${a[1]}' is neither base64 nor a variable name`) },
  sha1: noArg('str'),
  sha2: { minArgs: 0, maxArgs: 1, out: 'str', check: (a) => (a[0] === undefined || ['224', '256', '384', '512'].includes(a[0]) ? undefined : `bits '${a[0]}' (valid: 224, 256, 384, 512)`) },
  'set-var': { minArgs: 1, maxArgs: 1, out: 'str', check: varArg },
  'unset-var': { minArgs: 1, maxArgs: 1, out: 'str', check: varArg },
  in_table: { minArgs: 1, maxArgs: 1, out: 'bool', check: tableArg },
  language: { minArgs: 1, maxArgs: 2, out: 'str' },
  nbsrv: noArg('int'),
  ...Object.fromEntries(Object.keys(TABLE_CONVERTER_DATA).map((d) => [`table_${d}`, { minArgs: 1, maxArgs: 1, out: 'int', check: tableArg }])),
};

/** `set-var` and `unset-var` pass their input on unchanged: the sample keeps its type. */
export const PASSTHROUGH_CONVERTERS: ReadonlySet<string> = new Set(['set-var', 'unset-var']);

/** Converters HAProxy 2.6 has that no issue schedules (refused as "not scheduled yet"). */
export const UNSCHEDULED_CONVERTERS: ReadonlySet<string> = new Set([
  'protobuf', 'ungrpc', 'mqtt_field_value', 'mqtt_is_valid', 'jwt_header_query', 'jwt_payload_query', 'jwt_verify', 'lua', 'debug',
  'capture-req', 'capture-res', 'table_gpc', 'table_gpc_rate', 'table_gpt', 'table_server_id',
  'table_trackers', 'table_http_fail_cnt', 'table_http_fail_rate', 'ub64dec', 'ub64enc', 'be2dec', 'be2hex', 'le2dec', 'cut_crlf', 'param',
  'fix_is_valid', 'fix_tag_value', 'aes_gcm_dec',
]);

export function unscheduledConverterMessage(name: string): string {
  return `converter '${name}' ${notImplementedMessage(0)}`;
}
