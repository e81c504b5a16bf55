import type { ConverterCall, MapEntry, MapMatch, SampleType } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import { parseIntPatterns, parseNetwork } from './acl-patterns.js';
import { nearest } from './suggest.js';
import { notImplementedMessage } from './not-implemented.js';

/**
 * Sample expressions as HAProxy writes them (configuration.txt 7.3): `fetch[(args)][,conv[(args)]]...`, with the
 * converters of section 7.3.1 that Tandem implements. Map files are read here, at load, through the config's
 * file port (as errorfile and crt are), so the data plane never touches the file system.
 */

/** Thrown with a message for the keyword's line (acl-parse turns it into an AclSyntaxError). */
export class SampleExprError extends Error {
  constructor(message: string, readonly suggestion?: string) {
    super(message);
  }
}

/** The match methods a `map_<m>` converter may use, and the input type each expects. */
const MAP_MATCH: Readonly<Record<string, SampleType>> = { str: 'str', beg: 'str', sub: 'str', dir: 'str', dom: 'str', end: 'str', reg: 'str', int: 'int', ip: 'ip' };
const MAP_OUTPUT = new Set(['str', 'int', 'ip']);

interface ConverterSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly out: SampleType;
}

const CONVERTERS: Readonly<Record<string, ConverterSpec>> = {
  lower: { minArgs: 0, maxArgs: 0, out: 'str' },
  upper: { minArgs: 0, maxArgs: 0, out: 'str' },
  ipmask: { minArgs: 1, maxArgs: 2, out: 'ip' },
  field: { minArgs: 2, maxArgs: 3, out: 'str' },
  word: { minArgs: 2, maxArgs: 3, out: 'str' },
  regsub: { minArgs: 2, maxArgs: 3, out: 'str' },
  bool: { minArgs: 0, maxArgs: 0, out: 'bool' },
  not: { minArgs: 0, maxArgs: 0, out: 'bool' },
};

/** Converters of HAProxy's list not implemented yet (refused by name rather than "unknown"). */
export const PLANNED_CONVERTERS: ReadonlySet<string> = new Set([
  'base64', 'b64dec', 'hex', 'hex2i', 'json', 'length', 'ltime', 'utime', 'sdbm', 'djb2', 'crc32', 'wt6', 'xxh32', 'xxh64',
  'add', 'sub', 'mul', 'div', 'mod', 'neg', 'and', 'or', 'xor', 'cpl', 'odd', 'even', 'bytes', 'concat', 'strcmp',
  'secure_memcmp', 'url_dec', 'url_enc', 'in_table', 'table_http_req_rate', 'set-var', 'unset-var', 'digest',
  'hmac', 'sha1', 'sha2', 'language', 'protobuf', 'ungrpc', 'field_cnt', 'ipv6', 'debug', 'http_date', 'iif',
  'json_query', 'ltrim', 'rtrim', 'host_only', 'port_only', 'htonl', 'jwt_header_query', 'jwt_payload_query',
  'jwt_verify', 'mqtt_field_value', 'mqtt_is_valid', 'nbsrv', 'capture-req', 'capture-res', 'lua',
]);

/** A parsed `name(args)` call; `end` is the index after it. Quotes and `\` escapes follow HAProxy's arg parser. */
function scanCall(text: string, from: number): { name: string; args: string[]; end: number } {
  let i = from;
  while (i < text.length && /[A-Za-z0-9_.-]/.test(text[i]!)) i++;
  const name = text.slice(from, i);
  if (!name) throw new SampleExprError(`expects a name at '${text.slice(from)}' in '${text}'`);
  if (text[i] !== '(') return { name, args: [], end: i };
  const args: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let sawAny = false;
  for (i++; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && text[i + 1] === quote) cur += text[++i];
      else if (c === quote) quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '\\' && (text[i + 1] === ',' || text[i + 1] === ')' || text[i + 1] === '(' || text[i + 1] === '"' || text[i + 1] === "'")) cur += text[++i];
    else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      args.push(cur);
      cur = '';
      sawAny = true;
    } else if (c === ')') {
      if (sawAny || cur !== '') args.push(cur);
      return { name, args, end: i + 1 };
    } else cur += c;
  }
  throw new SampleExprError(quote ? `unterminated quote in '${text}'` : `missing ')' in '${text}'`);
}

/** Splits `fetch(args),conv1,conv2(args)` into the fetch call and the converter calls (not yet validated). */
export function splitSampleExpr(text: string): { name: string; args: string[]; converters: Array<{ name: string; args: string[] }> } {
  const fetch = scanCall(text, 0);
  const converters: Array<{ name: string; args: string[] }> = [];
  let i = fetch.end;
  while (i < text.length) {
    if (text[i] !== ',') throw new SampleExprError(`unexpected '${text.slice(i)}' after '${text.slice(0, i)}' (converters follow a ',')`);
    const call = scanCall(text, i + 1);
    converters.push({ name: call.name, args: call.args });
    i = call.end;
  }
  return { name: fetch.name, args: fetch.args, converters };
}

/**
 * Reads a map file as HAProxy does: per line, leading blanks skipped, empty and `#` lines ignored; the key runs to
 * the first blank, the value is the rest of the line after the blanks that follow (CR/LF removed). `keysOnly`
 * reads only keys (`-M` pattern files, whose values are ignored).
 */
export function readMapFile(files: ConfigFilePort, path: string): Array<MapEntry & { line: number }> {
  const content = files.read(path);
  if (content instanceof Error) throw new SampleExprError(`cannot read map file '${path}': ${content.message}`);
  const out: Array<MapEntry & { line: number }> = [];
  content.toString('latin1').split('\n').forEach((raw, n) => {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line)!;
    out.push({ key: m[1]!, value: m[2] ?? '', line: n + 1 });
  });
  return out;
}

/** An ACL pattern file (`-f`): one pattern per line, leading blanks stripped, empty and `#` lines ignored. */
export function readPatternFile(files: ConfigFilePort, path: string): string[] {
  const content = files.read(path);
  if (content instanceof Error) throw new SampleExprError(`cannot read pattern file '${path}': ${content.message}`);
  const out: string[] = [];
  for (const raw of content.toString('latin1').split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (line !== '' && !line.startsWith('#')) out.push(line);
  }
  return out;
}

/** Validates one key or value of a map against a type; returns an error text or undefined. */
function checkTyped(kind: 'key' | 'value', text: string, type: string): string | undefined {
  if (type === 'ip') {
    const r = parseNetwork(text);
    return typeof r === 'string' ? `${kind} ${r}` : undefined;
  }
  if (type === 'int') {
    if (kind === 'value') return /^[+-]?\d+$/.test(text) ? undefined : `value '${text}' is not an integer`;
    const r = parseIntPatterns([text]);
    return typeof r === 'string' ? `key ${r}` : undefined;
  }
  if (type === 'reg') {
    try {
      new RegExp(text);
    } catch (e) {
      return `invalid regex '${text}': ${(e as Error).message}`;
    }
  }
  return undefined;
}

/** `map`, `map_<m>`, `map_<m>_<out>` → match and output types, or undefined when not a map converter. */
export function mapConverterTypes(name: string): { match: string; output: SampleType } | undefined {
  if (name === 'map') return { match: 'str', output: 'str' };
  const m = /^map_([a-z]+)(?:_([a-z]+))?$/.exec(name);
  if (!m || MAP_MATCH[m[1]!] === undefined || (m[2] !== undefined && !MAP_OUTPUT.has(m[2]))) return undefined;
  return { match: m[1]!, output: (m[2] ?? 'str') as SampleType };
}

/** Loads and checks the entries of a map file for a match method and output type (errors name the map's line). */
export function loadMap(files: ConfigFilePort, path: string, match: string, output: string): MapEntry[] {
  const entries = readMapFile(files, path);
  for (const e of entries) {
    const bad = checkTyped('key', e.key, match) ?? checkTyped('value', e.value, output);
    if (bad) throw new SampleExprError(`map file '${path}' line ${e.line}: ${bad}`);
  }
  return entries.map(({ key, value }) => ({ key, value }));
}

/** Validates converter calls (names, argument counts and values, map files) and returns them with their output type. */
export function parseConverters(calls: ReadonlyArray<{ name: string; args: string[] }>, files: ConfigFilePort | undefined, type: SampleType): { converters: ConverterCall[]; type: SampleType } {
  const converters: ConverterCall[] = [];
  for (const { name, args } of calls) {
    const map = mapConverterTypes(name);
    if (map) {
      if (args.length < 1 || args.length > 2) throw new SampleExprError(`converter '${name}' expects <map_file>[,<default_value>], got ${args.length} argument(s)`);
      if (!files) throw new SampleExprError(`converter '${name}': map files cannot be read here`);
      if (args[1] !== undefined) {
        const bad = checkTyped('value', args[1], map.output);
        if (bad) throw new SampleExprError(`converter '${name}': default ${bad}`);
      }
      const entries = loadMap(files, args[0]!, map.match, map.output);
      converters.push({ name, args, map: { file: args[0]!, match: map.match as MapMatch, output: map.output, entries } });
      type = map.output;
      continue;
    }
    const spec = CONVERTERS[name];
    if (!spec) {
      if (PLANNED_CONVERTERS.has(name) || name.startsWith('map_')) throw new SampleExprError(`converter '${name}' ${notImplementedMessage(6)}`);
      throw new SampleExprError(`unknown converter '${name}'`, nearest(name, [...Object.keys(CONVERTERS), 'map', ...Object.keys(MAP_MATCH).map((m) => `map_${m}`)]));
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      throw new SampleExprError(spec.maxArgs === 0 ? `converter '${name}' takes no argument` : `converter '${name}' expects ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} argument(s), got ${args.length}`);
    }
    checkConverterArgs(name, args);
    converters.push({ name, args });
    type = spec.out;
  }
  return { converters, type };
}

function checkConverterArgs(name: string, args: readonly string[]): void {
  const int = (v: string | undefined, what: string, min: number) => {
    if (v === undefined) return;
    if (!/^[+-]?\d+$/.test(v) || Number(v) < min) throw new SampleExprError(`converter '${name}': ${what} '${v}' is not an integer${min > -Infinity ? ` >= ${min}` : ''}`);
  };
  switch (name) {
    case 'ipmask': {
      const v4 = args[0]!;
      const ok4 = /^\d{1,2}$/.test(v4) ? Number(v4) <= 32 : typeof parseNetwork(`0.0.0.0/${v4}`) !== 'string';
      if (!ok4) throw new SampleExprError(`converter 'ipmask': '${v4}' is not an IPv4 mask (0-32 or a dotted netmask)`);
      if (args[1] !== undefined && (!/^\d{1,3}$/.test(args[1]) || Number(args[1]) > 128)) throw new SampleExprError(`converter 'ipmask': '${args[1]}' is not an IPv6 prefix length (0-128)`);
      return;
    }
    case 'field':
    case 'word':
      if (!/^[+-]?\d+$/.test(args[0]!) || Number(args[0]) === 0) throw new SampleExprError(`converter '${name}': index '${args[0]}' must be a non-zero integer (negative counts from the end)`);
      if (args[1] === '') throw new SampleExprError(`converter '${name}': the delimiter list is empty`);
      int(args[2], 'count', 0);
      return;
    case 'regsub': {
      const flags = args[2] ?? '';
      if (!/^[ig]*$/.test(flags)) throw new SampleExprError(`converter 'regsub': flags '${flags}' (valid: i, g)`);
      try {
        new RegExp(args[0]!, flags.includes('i') ? 'i' : '');
      } catch (e) {
        throw new SampleExprError(`converter 'regsub': invalid regex '${args[0]}': ${(e as Error).message}`);
      }
    }
  }
}

/**
 * The type of a fetch's sample after its converters (each converter's output type, a map's declared output):
 * what the run time casts from when a sample becomes a stick-table key or a hash key, as HAProxy's typed samples do.
 */
export function sampleExprType(fetchType: SampleType, converters: readonly ConverterCall[] | undefined): SampleType {
  let type = fetchType;
  for (const c of converters ?? []) type = c.map ? c.map.output : (CONVERTERS[c.name]?.out ?? type);
  return type;
}
