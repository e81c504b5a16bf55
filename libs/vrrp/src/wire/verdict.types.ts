/**
 * The result of decoding bytes that came from the network (ARCHITECTURE rule 1): decoders never throw on input.
 * - ok:        a valid message; `bytes` is how many input bytes it used.
 * - malformed: the bytes are not a valid message (truncated, bad checksum, bad version/type, inconsistent length).
 * - drop:      a well-formed message that an RFC rule says must be discarded (TTL != 255, auth mismatch, interval).
 * - foreign:   a well-formed message that is simply not ours (another protocol, another VRID, another version).
 */
export type VerdictKind = 'ok' | 'malformed' | 'drop' | 'foreign';

export type Verdict<T, R extends string = string> =
  | { readonly kind: 'ok'; readonly value: T; readonly bytes: number }
  | { readonly kind: 'malformed' | 'drop' | 'foreign'; readonly reason: R; readonly detail: string };

export function ok<T>(value: T, bytes: number): { kind: 'ok'; value: T; bytes: number } {
  return { kind: 'ok', value, bytes };
}

export function reject<R extends string>(
  kind: 'malformed' | 'drop' | 'foreign',
  reason: R,
  detail: string,
): { kind: 'malformed' | 'drop' | 'foreign'; reason: R; detail: string } {
  return { kind, reason, detail };
}
