/**
 * The `<idle>` / `<life>` argument of `cookie … maxidle|maxlife`, read as HAProxy 2.6 reads it (parse_time_err with
 * seconds as the unit): digits and an optional unit (us, ms, s, m, h, d; none means seconds), converted to whole
 * seconds rounded up, at most 2147483647 s. The messages are HAProxy's.
 */
export type CookieTimer =
  | { readonly ok: true; readonly seconds: number; readonly warning?: string }
  | { readonly ok: false; readonly message: string };

const UNITS: ReadonlyArray<[string, number]> = [['us', 1e-6], ['ms', 1e-3], ['s', 1], ['m', 60], ['h', 3600], ['d', 86400]];
const MAX = 2147483647;

export function parseCookieTimer(option: 'maxidle' | 'maxlife', text: string): CookieTimer {
  const digits = /^\d*/.exec(text)![0];
  let rest = text.slice(digits.length);
  let mult = 1;
  // The two-letter units come first, so `ms` is not read as `m` followed by `s`.
  const unit = UNITS.find(([u]) => rest.startsWith(u));
  if (unit) {
    mult = unit[1];
    rest = rest.slice(unit[0].length);
  } else if (rest) {
    return { ok: false, message: `unexpected character '${rest[0]}' in argument to <${option}>.` };
  }
  const n = digits ? Number(digits) : 0;
  // Exact for the sub-second units: n us / ms rounded up to seconds without floating-point error.
  const seconds = mult === 1e-6 ? Math.ceil(n / 1e6) : mult === 1e-3 ? Math.ceil(n / 1e3) : n * mult;
  if (seconds > MAX) return { ok: false, message: `timer overflow in argument <${text}> to <${option}>, maximum value is 2147483647 s (~68 years).` };
  if (rest) {
    const warning = `unexpected character '${rest[0]}' after the timer value '${text}', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`;
    return { ok: true, seconds, warning };
  }
  return { ok: true, seconds };
}
