import { ipInNetwork, parseIntPatterns, parseIp, parseNetwork, type ConverterCall, type IpNetwork, type MapEntry, type MapMatch, type PatternRef, type SampleType } from '@tandem/config';
import { FETCHES } from './fetches.js';
import type { RequestView, Sample } from './request-view.types.js';
import { compileExtraConverter } from './converters-extra.js';

/**
 * HAProxy's converters (configuration.txt 7.3.1), compiled once per generation from the calls `@tandem/config`
 * validated. A converter returns undefined when it fails (no sample), as HAProxy's converters do.
 */
type Value = string | number | boolean;
/** `view` is there for converters that read or write variables or stick tables (`add(txn.x)`, `table_*`). */
export type ConverterImpl = (v: Value, view?: RequestView) => Value | undefined;

const str = (v: Value): string => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

/** HAProxy's str→int cast: leading blanks, optional sign, digits; nothing numeric fails. */
function toInt(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** An address as text: dotted quad, or RFC 5952 IPv6 (longest run of zero groups as `::`). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((bytes[i]! << 8) | bytes[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function applyMask(ip: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(ip.length);
  for (let i = 0, bits = prefix; i < ip.length; i++, bits -= 8) out[i] = bits >= 8 ? ip[i]! : bits <= 0 ? 0 : ip[i]! & ((0xff << (8 - bits)) & 0xff);
  return out;
}

/**
 * `field` (every delimiter separates, empty fields count) and `word` (runs of delimiters separate, empty words do
 * not exist): the text from the start of the selected first item to the end of the last one. A negative index
 * counts from the end and `count` then extends toward the start; count 0 takes every remaining item. Out of range
 * gives an empty string.
 */
function splitSpans(s: string, delims: string, words: boolean): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || delims.includes(s[i]!)) {
      if (!words || i > start) spans.push([start, i]);
      start = i + 1;
    }
  }
  return spans;
}

function pick(s: string, index: number, delims: string, count: number, words: boolean): string {
  const spans = splitSpans(s, delims, words);
  let first: number;
  let last: number;
  if (index > 0) {
    first = index - 1;
    last = count === 0 ? spans.length - 1 : Math.min(spans.length - 1, first + count - 1);
  } else {
    last = spans.length + index;
    first = count === 0 ? 0 : Math.max(0, last - count + 1);
  }
  if (first < 0 || last < 0 || first >= spans.length || last >= spans.length || first > last) return '';
  return s.slice(spans[first]![0], spans[last]![1]);
}

/** HAProxy's regsub substitution: `\0`…`\9` are the match and its groups. */
function regsub(re: RegExp, subst: string): ConverterImpl {
  return (v) =>
    str(v).replace(re, (...m: unknown[]) => {
      const groups = m.slice(0, -2) as Array<string | undefined>;
      return subst.replace(/\\(\d)/g, (_, d: string) => groups[Number(d)] ?? '');
    });
}

const DIR = '/?';
const DOM = '/?.:';
function delimited(text: string, word: string, delimiters: string): boolean {
  let w = word;
  while (w.length && delimiters.includes(w[0]!)) w = w.slice(1);
  while (w.length && delimiters.includes(w[w.length - 1]!)) w = w.slice(0, -1);
  if (!w.length) return false;
  for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
    const end = at + w.length;
    if ((at === 0 || delimiters.includes(text[at - 1]!)) && (end === text.length || delimiters.includes(text[end]!))) return true;
  }
  return false;
}

/** A map's lookup: exact keys by hash; beg/end/sub/dir/dom/reg/int in file order; ip by longest prefix. */
export function compileMapLookup(match: MapMatch, entries: readonly MapEntry[]): (v: Value) => string | undefined {
  switch (match) {
    case 'str': {
      const m = new Map<string, string>();
      for (const e of entries) if (!m.has(e.key)) m.set(e.key, e.value);
      return (v) => m.get(str(v));
    }
    case 'int': {
      const list = entries.map((e) => ({ r: (parseIntPatterns([e.key]) as Array<{ lo: number; hi: number }>)[0]!, value: e.value }));
      return (v) => {
        const n = toInt(v);
        if (n === undefined) return undefined;
        return list.find((e) => n >= e.r.lo && n <= e.r.hi)?.value;
      };
    }
    case 'ip': {
      const list = entries.map((e, i) => ({ net: parseNetwork(e.key) as IpNetwork, value: e.value, i })).sort((a, b) => b.net.prefix - a.net.prefix || a.i - b.i);
      return (v) => {
        const ip = typeof v === 'string' ? parseIp(v) : undefined;
        return ip ? list.find((e) => ipInNetwork(ip, e.net))?.value : undefined;
      };
    }
    case 'reg': {
      const list = entries.map((e) => ({ re: new RegExp(e.key), value: e.value }));
      return (v) => {
        const s = str(v);
        return list.find((e) => e.re.test(s))?.value;
      };
    }
    case 'regm': {
      // `map_regm`: the value may hold `\<n>` back-references to the matching key's groups (`\0`: the match).
      const list = entries.map((e) => ({ re: new RegExp(e.key), value: e.value }));
      return (v) => {
        const s = str(v);
        for (const e of list) {
          const m = e.re.exec(s);
          if (m) return e.value.replace(/\\(\d)/g, (_, d: string) => m[Number(d)] ?? '');
        }
        return undefined;
      };
    }
    default: {
      const test: (s: string, k: string) => boolean =
        match === 'beg' ? (s, k) => s.startsWith(k) : match === 'end' ? (s, k) => s.endsWith(k) : match === 'sub' ? (s, k) => s.includes(k) : match === 'dir' ? (s, k) => delimited(s, k, DIR) : (s, k) => delimited(s, k, DOM);
      return (v) => {
        const s = str(v);
        return entries.find((e) => test(s, e.key))?.value;
      };
    }
  }
}

/**
 * A map read through its file's shared reference (`add map`, `set map`, `set-map` change it at run time): the
 * lookup is rebuilt when the reference's version moved, so an unchanged map costs one comparison per lookup.
 */
function liveMapLookup(match: MapMatch, ref: PatternRef): (v: Value) => string | undefined {
  let seen = -1;
  let lookup: (v: Value) => string | undefined = () => undefined;
  return (v) => {
    if (ref.version !== seen) {
      lookup = compileMapLookup(match, ref.entries().map((e) => ({ key: e.key, value: e.value ?? '' })));
      seen = ref.version;
    }
    return lookup(v);
  };
}

function typed(value: string, output: SampleType): Value {
  return output === 'int' ? Number(value) : value;
}

/** One converter call → its implementation. */
export function compileConverter(call: ConverterCall): ConverterImpl {
  const a = call.args;
  if (call.map) {
    const lookup = call.map.ref ? liveMapLookup(call.map.match, call.map.ref) : compileMapLookup(call.map.match, call.map.entries);
    const output = call.map.output;
    const dflt = a[1] === undefined ? undefined : typed(a[1], output);
    return (v) => {
      const r = lookup(v);
      return r === undefined ? dflt : typed(r, output);
    };
  }
  switch (call.name) {
    case 'lower':
      return (v) => str(v).toLowerCase();
    case 'upper':
      return (v) => str(v).toUpperCase();
    case 'ipmask': {
      const m4 = /^\d+$/.test(a[0]!) ? Number(a[0]) : (parseNetwork(`0.0.0.0/${a[0]}`) as IpNetwork).prefix;
      const m6 = a[1] === undefined ? undefined : Number(a[1]);
      return (v) => {
        const ip = typeof v === 'string' ? parseIp(v) : undefined;
        if (!ip) return undefined;
        if (ip.length === 4) return formatIp(applyMask(ip, m4));
        return m6 === undefined ? undefined : formatIp(applyMask(ip, m6));
      };
    }
    case 'field':
    case 'word': {
      const index = Number(a[0]);
      const delims = a[1]!;
      const count = a[2] === undefined ? 1 : Number(a[2]);
      const words = call.name === 'word';
      return (v) => pick(str(v), index, delims, count, words);
    }
    case 'regsub': {
      const flags = a[2] ?? '';
      return regsub(new RegExp(a[0]!, (flags.includes('i') ? 'i' : '') + (flags.includes('g') ? 'g' : '')), a[1]!);
    }
    case 'bool':
      return (v) => {
        const n = toInt(v);
        return n === undefined ? undefined : n !== 0;
      };
    case 'not':
      return (v) => {
        const n = toInt(v);
        return n === undefined ? undefined : n === 0;
      };
  }
  const extra = compileExtraConverter(call);
  if (extra) return extra;
  throw new Error(`converter '${call.name}' has no implementation`);
}

/** Applies converters to a sample: each value of a multi-valued sample in turn; failed values are dropped. */
export function applyConverters(sample: Sample, convs: readonly ConverterImpl[], view?: RequestView): Sample {
  if (sample === undefined || convs.length === 0) return sample;
  const one = (v: Value): Value | undefined => {
    let x: Value | undefined = v;
    for (const c of convs) {
      x = c(x, view);
      if (x === undefined) return undefined;
    }
    return x;
  };
  if (Array.isArray(sample)) {
    // A multi-valued sample stays one: its converted values keep their types (a matcher takes any value).
    const out: Value[] = [];
    for (const v of sample as readonly string[]) {
      const r = one(v);
      if (r !== undefined) out.push(r);
    }
    return out.length ? (out as unknown as readonly string[]) : undefined;
  }
  return one(sample as Value);
}

/** A fetch with its converters, compiled once: `(view) => sample`. Unknown names are load bugs (config checked them). */
export function compileSampleExpr(fetchBase: string, args: readonly string[], converters: readonly ConverterCall[] | undefined): (view: RequestView) => Sample {
  const fetch = FETCHES[fetchBase];
  if (!fetch) throw new Error(`fetch '${fetchBase}' has no implementation`);
  if (!converters?.length) return (view) => fetch(view, args);
  const convs = converters.map(compileConverter);
  return (view) => applyConverters(fetch(view, args), convs, view);
}
