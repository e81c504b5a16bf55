/**
 * Syslog framing, pure: the header HAProxy puts before a log message for each `log ... format` (rfc3164 by
 * default, rfc5424, raw, short), the level filter of a `log` line, and the `len` truncation.
 */

/** RFC 5424 section 6.2.1, table 1 (HAProxy accepts the same 24 names). */
export const FACILITIES: readonly string[] = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'auth2', 'ftp', 'ntp', 'audit', 'alert', 'cron2', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
/** RFC 5424 section 6.2.1, table 2. */
export const LEVELS: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
/** Traffic logs are sent at `info`, as HAProxy does. */
export const TRAFFIC_LEVEL = 6;
/** HAProxy's default `len`. */
export const DEFAULT_MAX_LEN = 1024;

export type SyslogFormat = 'rfc3164' | 'rfc5424' | 'raw' | 'short';

export interface SyslogTargetOptions {
  readonly facility: string;
  readonly level?: string;
  readonly minLevel?: string;
  readonly format: SyslogFormat;
  readonly maxLen?: number;
}

export interface SyslogHeaderFields {
  /** Wall-clock ms. */
  readonly date: number;
  /** Sent only when set (`log-send-hostname`); rfc5424 prints `-` otherwise. */
  readonly hostname?: string;
  /** `log-tag`, HAProxy's default is the program name. */
  readonly tag: string;
  readonly pid: number;
}

/**
 * The level a message goes out with on this target, or undefined when the target's `level` filters it out. With
 * `minlevel`, a more severe message is sent at minlevel (HAProxy's `log` keyword).
 */
export function effectiveLevel(target: SyslogTargetOptions, level: number): number | undefined {
  const max = target.level ? LEVELS.indexOf(target.level) : 7;
  if (level > max) return undefined;
  const min = target.minLevel ? LEVELS.indexOf(target.minLevel) : 0;
  return Math.max(level, min);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** RFC 3164 section 4.1.2 TIMESTAMP: `Mmm dd hh:mm:ss`, the day padded with a space, local time. */
export function rfc3164Timestamp(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** RFC 5424 section 6.2.3 TIMESTAMP with microseconds and the local offset: `2026-11-25T22:57:07.123000+00:00`. */
export function rfc5424Timestamp(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}000${off < 0 ? '-' : '+'}${p2((a / 60) | 0)}:${p2(a % 60)}`;
}

/**
 * One datagram or output line: header + message + `\n`, cut to `len` bytes (the newline kept). Returns undefined
 * when the target's level filter drops the message.
 */
export function frameSyslog(target: SyslogTargetOptions, header: SyslogHeaderFields, message: string, level = TRAFFIC_LEVEL): Buffer | undefined {
  const lvl = effectiveLevel(target, level);
  if (lvl === undefined) return undefined;
  const facility = Math.max(0, FACILITIES.indexOf(target.facility));
  const pri = facility * 8 + lvl;
  let head: string;
  switch (target.format) {
    case 'raw':
      head = '';
      break;
    case 'short':
      head = `<${lvl}>`;
      break;
    case 'rfc5424':
      head = `<${pri}>1 ${rfc5424Timestamp(header.date)} ${header.hostname || '-'} ${header.tag} ${header.pid} - - `;
      break;
    default:
      head = `<${pri}>${rfc3164Timestamp(header.date)} ${header.hostname ? `${header.hostname} ` : ''}${header.tag}[${header.pid}]: `;
  }
  const max = target.maxLen ?? DEFAULT_MAX_LEN;
  const body = Buffer.from(head + message, 'utf8');
  if (body.length + 1 <= max) return Buffer.concat([body, NL]);
  return Buffer.concat([body.subarray(0, Math.max(0, max - 1)), NL]);
}

const NL = Buffer.from('\n');
