/** HAProxy time units: us, ms (default), s, m, h, d. Returns milliseconds, or undefined when the text is not a time. */
export function parseTime(text: string): number | undefined {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'us': return Math.ceil(n / 1000);
    case undefined:
    case 'ms': return n;
    case 's': return n * 1000;
    case 'm': return n * 60_000;
    case 'h': return n * 3_600_000;
    case 'd': return n * 86_400_000;
  }
  return undefined;
}

/** HAProxy size units: k, m, g (powers of 1024), case-insensitive. Returns bytes, or undefined. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([kKmMgG])?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  return unit === 'k' ? n * 1024 : unit === 'm' ? n * 1024 * 1024 : unit === 'g' ? n * 1024 * 1024 * 1024 : n;
}

/** A non-negative integer within [min, max], or undefined. */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
