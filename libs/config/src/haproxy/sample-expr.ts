import type { ConverterCall, MapEntry, MapMatch, SampleType } from '../policy-config.types.js';
import type { ConfigFilePort } from './parse-context.js';
import type { PatternRef } from '../pattern-ref.js';
import { parseIntPatterns, parseNetwork } from './acl-patterns.js';
import { nearest } from './suggest.js';
import { EXTRA_CONVERTERS, PASSTHROUGH_CONVERTERS, UNSCHEDULED_CONVERTERS, unscheduledConverterMessage, type ConverterSpec } from './converter-specs.js';

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

/**
 * The match methods a `map_<m>` converter may use, and the input type each expects. HAProxy 2.6 names them
 * `map_<m>` (string output) and `map_<m>_int`, `map_<m>_ip`; `map_regm` (regex with `\<n>` back-references in the
 * value) has the string output only, and there is no `map_<m>_str`.
 */
const MAP_MATCH: Readonly<Record<string, SampleType>> = { str: 'str', beg: 'str', sub: 'str', dir: 'str', dom: 'str', end: 'str', reg: 'str', regm: 'str', int: 'int', ip: 'ip' };
const MAP_OUTPUT = new Set(['int', 'ip']);

const CONVERTERS: Readonly<Record<string, ConverterSpec>> = {
  lower: { minArgs: 0, maxArgs: 0, out: 'str' },
  upper: { minArgs: 0, maxArgs: 0, out: 'str' },
  ipmask: { minArgs: 1, maxArgs: 2, out: 'ip' },
  field: { minArgs: 2, maxArgs: 3, out: 'str' },
  word: { minArgs: 2, maxArgs: 3, out: 'str' },
  regsub: { minArgs: 2, maxArgs: 3, out: 'str' },
  bool: { minArgs: 0, maxArgs: 0, out: 'bool' },
  not: { minArgs: 0, maxArgs: 0, out: 'bool' },
  ...EXTRA_CONVERTERS,
};

/** Converters of HAProxy's list Tandem does not implement (refused by name rather than "unknown"). */
export const PLANNED_CONVERTERS: ReadonlySet<string> = UNSCHEDULED_CONVERTERS;

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
export function checkTyped(kind: 'key' | 'value', text: string, type: string): string | undefined {
  if (type === 'ip') {
    const r = parseNetwork(text);
    return typeof r === 'string' ? `${kind} ${r}` : undefined;
  }
  if (type === 'int') {
    if (kind === 'value') return /^[+-]?\d+$/.test(text) ? undefined : `value '${text}' is not an integer`;
    const r = parseIntPatterns([text]);
    return typeof r === 'string' ? `key ${r}` : undefined;
  }
  if (type === 'reg' || type === 'regm') {
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
  if (!m || MAP_MATCH[m[1]!] === undefined || (m[2] !== undefined && (!MAP_OUTPUT.has(m[2]) || m[1] === 'regm'))) return undefined;
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

/**
 * A map file through the configuration's shared references (pattern-ref.ts): read once, then every converter
 * naming it shares the same entries, checked against each converter's match and output types (HAProxy pushes each
 * entry into every expression using the file) and, for later runtime additions, by the same checks.
 */
function loadSharedMap(files: ConfigFilePort, path: string, match: string, output: string): { entries: MapEntry[]; ref?: PatternRef } {
  if (!files.patterns) return { entries: loadMap(files, path, match, output) };
  let ref: PatternRef;
  try {
    ref = files.patterns.open(path, 'map', true, () => readMapFile(files, path));
  } catch (e) {
    if (e instanceof SampleExprError) throw e;
    throw new SampleExprError((e as Error).message);
  }
  for (const e of ref.entries()) {
    const bad = checkTyped('key', e.key, match) ?? checkTyped('value', e.value ?? '', output);
    if (bad) throw new SampleExprError(`map file '${path}'${e.line !== undefined ? ` line ${e.line}` : ''}: ${bad}`);
  }
  ref.addUser({ kind: 'map', match, ignoreCase: false, output }, (key, value) => checkTyped('key', key, match) ?? checkTyped('value', value ?? '', output));
  return { entries: ref.entries().map((e) => ({ key: e.key, value: e.value ?? '' })), ref };
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
      const { entries, ref } = loadSharedMap(files, args[0]!, map.match, map.output);
      converters.push({ name, args, map: { file: args[0]!, match: map.match as MapMatch, output: map.output, entries, ...(ref ? { ref } : {}) } });
      type = map.output;
      continue;
    }
    const spec = CONVERTERS[name];
    if (!spec) {
      if (PLANNED_CONVERTERS.has(name)) throw new SampleExprError(unscheduledConverterMessage(name));
      if (/^map_[a-z]+_str$/.test(name)) throw new SampleExprError(`unknown converter '${name}' (a map's output is a string by default: write '${name.slice(0, -4)}')`);
      throw new SampleExprError(`unknown converter '${name}'`, nearest(name, [...Object.keys(CONVERTERS), 'map', ...Object.keys(MAP_MATCH).map((m) => `map_${m}`)]));
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      throw new SampleExprError(spec.maxArgs === 0 ? `converter '${name}' takes no argument` : `converter '${name}' expects ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} argument(s), got ${args.length}`);
    }
    checkConverterArgs(name, args);
    const bad = spec.check?.(args);
    if (bad) throw new SampleExprError(`converter '${name}': ${bad}`);
    converters.push({ name, args });
    if (!PASSTHROUGH_CONVERTERS.has(name)) type = spec.out;
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
  for (const c of converters ?? []) type = c.map ? c.map.output : PASSTHROUGH_CONVERTERS.has(c.name) ? type : (CONVERTERS[c.name]?.out ?? type);
  return type;
}
