/**
 * How HAProxy's log-format writer prints one value (configuration.txt 8.2.4, log.c's lf_* helpers), shared by the
 * traffic logs (@tandem/logging) and log-format strings in rule values (@tandem/policy): one set of semantics for
 * `%{+Q,+X,+E}` flags in both places. Pure.
 */

/** Q: quote strings; X: hexadecimal numbers and addresses; E: escape `"`, `\` and `]`. */
export interface LogFlags {
  readonly Q?: boolean;
  readonly X?: boolean;
  readonly E?: boolean;
}

export type LogValue =
  | { readonly kind: 'string'; readonly text: string | undefined }
  /** `hexWidth`: digits under X (8 for most numbers; HAProxy prints `%rt` and `%pid` on 4). */
  | { readonly kind: 'number'; readonly value: number; readonly hexWidth?: number }
  | { readonly kind: 'ip'; readonly text: string }
  | { readonly kind: 'port'; readonly value: number }
  /** Printed as is, never quoted (dates, `%rc` with its `+`, the `{…|…}` of `%hr`). */
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'empty' };

export function printLogValue(v: LogValue, flags: LogFlags): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'raw':
      return v.text;
    case 'number':
      return flags.X ? (v.value >>> 0).toString(16).toUpperCase().padStart(v.hexWidth ?? 8, '0') : String(v.value);
    case 'ip':
      return flags.X ? ipHex(v.text) : flags.Q ? `"${v.text}"` : v.text;
    case 'port':
      return flags.X ? v.value.toString(16).toUpperCase().padStart(4, '0') : String(v.value);
    case 'string': {
      // An absent string prints '-', or an empty quoted string under Q (HAProxy's lf_text_len).
      if (v.text === undefined) return flags.Q ? '""' : '-';
      const s = flags.E ? v.text.replace(/["\\\]]/g, (c) => `\\${c}`) : v.text;
      return flags.Q ? `"${s}"` : s;
    }
  }
}

/** `127.0.0.1` as `7F000001` (IPv4, and IPv4-mapped IPv6); other addresses as written. */
export function ipHex(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) return v4.slice(1).map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0')).join('');
  return ip;
}

/**
 * Captured header values as `%hr`/`%hs` print them: `{v0|v1}` (an absent slot is empty), each value quoted under
 * Q; `%hrl`/`%hsl` (`list`): the values separated by spaces, `-` for an absent one. Characters `"#{|}` and
 * non-printable ones are written `#XX` (HAProxy's hdr_encode_map). No slot at all prints nothing.
 */
export function printCaptures(values: readonly (string | undefined)[] | undefined, list: boolean, flags: LogFlags): LogValue {
  if (!values || values.length === 0) return { kind: 'empty' };
  const one = (v: string | undefined) => (v === undefined ? (list && !flags.Q ? '-' : flags.Q ? '""' : '') : flags.Q ? `"${encodeCapture(v)}"` : encodeCapture(v));
  const items = values.map(one);
  return { kind: 'raw', text: list ? items.join(' ') : `{${items.join('|')}}` };
}

export function encodeCapture(v: string): string {
  return v.replace(/[\x00-\x1f\x7f-\xff"#{|}]/g, (c) => `#${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `06/Feb/2009:12:14:14.655`, local time (HAProxy's `%t` and `%tr`). */
export function logDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `10/Oct/2000:13:55:36 +0000` (`%T`, `%trg`). */
export function gmtDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** `10/Oct/2000:15:55:36 +0200` (`%Tl`, `%trl`). */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${sign}${p2((a / 60) | 0)}${p2(a % 60)}`;
}

