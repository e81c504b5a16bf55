/**
 * strftime(3) as the `ltime`/`utime` converters use it (C locale), over a date in local time or UTC. The
 * conversions a proxy log or header needs; an unknown `%x` is copied as is.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number) => String(n).padStart(2, '0');

export function strftime(format: string, d: Date, utc: boolean): string {
  const Y = utc ? d.getUTCFullYear() : d.getFullYear();
  const m = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const H = utc ? d.getUTCHours() : d.getHours();
  const M = utc ? d.getUTCMinutes() : d.getMinutes();
  const S = utc ? d.getUTCSeconds() : d.getSeconds();
  const w = utc ? d.getUTCDay() : d.getDay();
  const off = utc ? 0 : -d.getTimezoneOffset();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000) + 1;
  const conv = (c: string): string => {
    switch (c) {
      case 'a': return DAYS[w]!.slice(0, 3);
      case 'A': return DAYS[w]!;
      case 'b': case 'h': return MONTHS[m]!.slice(0, 3);
      case 'B': return MONTHS[m]!;
      case 'c': return `${conv('a')} ${conv('b')} ${String(day).padStart(2, ' ')} ${conv('T')} ${Y}`;
      case 'C': return p2(Math.floor(Y / 100));
      case 'd': return p2(day);
      case 'D': return `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`;
      case 'e': return String(day).padStart(2, ' ');
      case 'F': return `${Y}-${p2(m + 1)}-${p2(day)}`;
      case 'H': return p2(H);
      case 'I': return p2(H % 12 || 12);
      case 'j': return String(yday).padStart(3, '0');
      case 'k': return String(H).padStart(2, ' ');
      case 'l': return String(H % 12 || 12).padStart(2, ' ');
      case 'm': return p2(m + 1);
      case 'M': return p2(M);
      case 'n': return '\n';
      case 'p': return H < 12 ? 'AM' : 'PM';
      case 'r': return `${conv('I')}:${p2(M)}:${p2(S)} ${conv('p')}`;
      case 'R': return `${p2(H)}:${p2(M)}`;
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'S': return p2(S);
      case 't': return '\t';
      case 'T': return `${p2(H)}:${p2(M)}:${p2(S)}`;
      case 'u': return String(w || 7);
      case 'w': return String(w);
      case 'y': return p2(Y % 100);
      case 'Y': return String(Y);
      case 'z': return `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`;
      case 'Z': return utc ? 'GMT' : (Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '');
      case '%': return '%';
      default: return `%${c}`;
    }
  };
  return format.replace(/%(.)/gs, (_, c: string) => conv(c));
}

/** RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the `http_date` converter's output. */
export function httpDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]!.slice(0, 3)}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}
