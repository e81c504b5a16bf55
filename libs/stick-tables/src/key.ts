import { DEFAULT_KEY_LENGTH, type StickKey, type StickKeyInput, type StickKeyType } from './stick-table.types.js';

/**
 * Key normalisation, one rule per table type (configuration.txt, "stick-table type"):
 * - ip: IPv4 in dotted-quad form; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is converted, other IPv6 refused.
 * - ipv6: RFC 5952 text (lowercase, longest zero run compressed); IPv4 is stored as ::ffff:a.b.c.d.
 * - integer: a 32-bit signed integer (wider values wrap, as the C cast does).
 * - string: at most `len` bytes of UTF-8 (default 32), cut on a character boundary.
 * - binary: exactly `len` bytes (default 32), truncated or padded with zeros, kept as lowercase hex.
 * Returns undefined when the value cannot be a key of that type (the action then does not track).
 */
export function normalizeKey(input: StickKeyInput, type: StickKeyType, keyLength?: number): StickKey | undefined {
  switch (type) {
    case 'ip':
      return normalizeIpv4Key(input);
    case 'ipv6':
      return normalizeIpv6Key(input);
    case 'integer':
      return normalizeIntegerKey(input);
    case 'string':
      return normalizeStringKey(input, keyLength ?? DEFAULT_KEY_LENGTH);
    case 'binary':
      return normalizeBinaryKey(input instanceof Uint8Array ? input : typeof input === 'string' ? utf8.encode(input) : undefined, keyLength ?? DEFAULT_KEY_LENGTH);
  }
}

/** A key typed on the admin socket (`show table t key <k>`): as normalizeKey, except binary keys are written in hex. */
export function keyFromText(text: string, type: StickKeyType, keyLength?: number): StickKey | undefined {
  if (type !== 'binary') return normalizeKey(text, type, keyLength);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return normalizeBinaryKey(bytes, keyLength ?? DEFAULT_KEY_LENGTH);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function normalizeIpv4Key(input: StickKeyInput): string | undefined {
  if (input instanceof Uint8Array) {
    if (input.length === 4) return Array.from(input).join('.');
    if (input.length === 16 && isMappedV4(bytesToWords(input))) return Array.from(input.subarray(12)).join('.');
    return undefined;
  }
  if (typeof input !== 'string') return undefined;
  if (isCanonicalIpv4(input)) return input; // only the canonical form is accepted: no new string on the hot path
  const words = parseIpv6(input);
  if (words && isMappedV4(words)) return wordsToV4(words).join('.');
  return undefined;
}

function normalizeIpv6Key(input: StickKeyInput): string | undefined {
  let words: number[] | undefined;
  if (input instanceof Uint8Array) {
    if (input.length === 4) words = [0, 0, 0, 0, 0, 0xffff, (input[0]! << 8) | input[1]!, (input[2]! << 8) | input[3]!];
    else if (input.length === 16) words = bytesToWords(input);
  } else if (typeof input === 'string') {
    const v4 = parseIpv4(input);
    words = v4 ? [0, 0, 0, 0, 0, 0xffff, (v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!] : parseIpv6(input);
  }
  return words ? formatIpv6(words) : undefined;
}

function normalizeIntegerKey(input: StickKeyInput): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? Math.trunc(input) | 0 : undefined;
  if (typeof input === 'string' && /^[+-]?\d+$/.test(input.trim())) return Number(input.trim()) | 0;
  return undefined;
}

function normalizeStringKey(input: StickKeyInput, len: number): string | undefined {
  const text = typeof input === 'string' ? input : typeof input === 'number' ? String(input) : utf8Decoder.decode(input);
  if (text.length <= len / 3) return text; // fast path: at most 3 bytes per UTF-16 unit, so it already fits
  const bytes = utf8.encode(text);
  if (bytes.length <= len) return text;
  let end = len;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a multi-byte character
  return utf8Decoder.decode(bytes.subarray(0, end));
}

function normalizeBinaryKey(bytes: Uint8Array | undefined, len: number): string | undefined {
  if (!bytes) return undefined;
  let hex = '';
  for (let i = 0; i < len; i++) hex += (i < bytes.length ? bytes[i]! : 0).toString(16).padStart(2, '0');
  return hex;
}

/** Dotted quad, four decimal parts 0..255 without leading zeros (inet_pton's rule). */
export function parseIpv4(text: string): number[] | undefined {
  return isCanonicalIpv4(text) ? text.split('.').map(Number) : undefined;
}

/**
 * parseIpv4's test without allocating (the hot path: a tracked key is normalised on every count and read). One
 * pass over the characters: four parts of 1-3 digits, no leading zero, each at most 255.
 */
function isCanonicalIpv4(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  let first = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46; // a '.' after the end closes the last part
    if (c === 46) {
      if (digits === 0 || (digits > 1 && first === 48) || value > 255) return false;
      parts++;
      value = digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else return false;
  }
  return parts === 4;
}

/** RFC 4291 section 2.2 text forms, including a trailing dotted quad; returns eight 16-bit words. No zone ids. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  let head = text;
  let tailV4: number[] | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (!tailV4) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  if (!left || !right) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    words = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    if (left.length !== 8) return undefined;
    words = left;
  }
  if (tailV4) {
    words[6] = (tailV4[0]! << 8) | tailV4[1]!;
    words[7] = (tailV4[2]! << 8) | tailV4[3]!;
  }
  return words;
}

/**
 * RFC 5952 section 4: lowercase, no leading zeros, the longest run (>= 2) of zero words becomes "::" (the first
 * one on a tie). Like inet_ntop, ::ffff:a.b.c.d and the deprecated ::a.b.c.d forms print their IPv4 tail.
 */
export function formatIpv6(words: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) { bestStart = -1; bestLen = 0; }
  const v4Tail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  const hex = (from: number, to: number) => words.slice(from, to).map((w) => w.toString(16)).join(':');
  if (v4Tail) return `${bestLen === 5 ? '::ffff:' : '::'}${wordsToV4(words).join('.')}`;
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

function isMappedV4(words: readonly number[]): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff;
}

function wordsToV4(words: readonly number[]): number[] {
  return [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff];
}

function bytesToWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  return words;
}
