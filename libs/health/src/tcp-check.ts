import type { TcpCheckRule } from '@tandem/config';

export type ExpectRule = Extract<TcpCheckRule, { kind: 'expect' }>;
export type ConnectRule = Extract<TcpCheckRule, { kind: 'connect' }>;

/** A pass, a failure, or "read more" (the pattern may still arrive). */
export type ExpectVerdict = 'pass' | 'fail' | 'more';

/** Largest reply an expect rule waits for before it judges what it has (HAProxy's check buffer is 16 kB). */
export const TCP_CHECK_BUFFER = 16 * 1024;

/**
 * Judges a `tcp-check expect` rule on what the server sent since the last `send`. As in HAProxy, a pattern that
 * is not (yet) there means "read more" until the server closes or the buffer is full; only then does a missing
 * pattern fail (or, with `!`, pass). A pattern that is there passes at once (or, with `!`, fails).
 */
export function judgeExpect(rule: ExpectRule, received: Buffer, ended: boolean): ExpectVerdict {
  const found = matches(rule, received);
  if (found) return rule.negate ? 'fail' : 'pass';
  if (!ended && received.length < TCP_CHECK_BUFFER) return 'more';
  return rule.negate ? 'pass' : 'fail';
}

function matches(rule: ExpectRule, received: Buffer): boolean {
  switch (rule.match) {
    case 'string':
      return received.includes(Buffer.from(rule.pattern, 'latin1'));
    case 'binary':
      return received.includes(Buffer.from(rule.pattern, 'hex'));
    case 'rstring':
      return new RegExp(rule.pattern).test(received.toString('latin1'));
  }
}

/** The rules as run: a sequence that does not start with `connect` connects to the check address first. */
export function withImplicitConnect(rules: readonly TcpCheckRule[]): readonly TcpCheckRule[] {
  if (rules[0]?.kind === 'connect') return rules;
  const source = rules[0]?.source ?? { file: '', line: 0 };
  return [{ kind: 'connect', ssl: false, source }, ...rules];
}

/** HAProxy's wording for a failed step, used as the check's `info`. */
export function describeFailure(rule: TcpCheckRule, step: number, why: 'mismatch' | 'timeout' | 'connect', detail?: string): string {
  if (why === 'connect') return `${detail ?? 'Connection problem'} at step ${step} of tcp-check (connect)`;
  if (rule.kind !== 'expect') return `${detail ?? 'Error'} at step ${step} of tcp-check (${rule.kind})`;
  const what = `${rule.match} '${rule.pattern}'`;
  if (why === 'timeout') return `Timeout at step ${step} of tcp-check (expect ${what})`;
  return rule.negate ? `TCPCHK matched unwanted content ${what} at step ${step}` : `TCPCHK did not match content ${what} at step ${step}`;
}
