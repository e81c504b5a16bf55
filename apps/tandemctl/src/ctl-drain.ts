import { parseDuration, parseStatCsv } from './ctl-format.js';

/**
 * `tandemctl drain <backend>/<server> [--wait] [--timeout <t>] [--interval <t>]` (issue #5 item 5): `set server
 * <b>/<s> state drain`, then, with --wait, polls `show stat` until the server has no current session (scur 0).
 * Established sessions finish; new requests avoid the server (sticky ones still reach it, as in HAProxy).
 */
export interface DrainRequest {
  readonly target: string;
  readonly wait: boolean;
  /** Give up after this long (exit 1); undefined: wait for ever. */
  readonly timeoutMs?: number;
  readonly intervalMs: number;
}

export const DRAIN_USAGE = 'usage: tandemctl drain <backend>/<server> [--wait [--timeout <t>]] (t: 30, 30s, 500ms, 2m)';

export function parseDrainWords(words: readonly string[]): DrainRequest | { error: string } {
  let target: string | undefined;
  let wait = false;
  let timeoutMs: number | undefined;
  let intervalMs = 250;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--wait') wait = true;
    else if (w === '--timeout' || w === '--interval') {
      const ms = words[i + 1] === undefined ? undefined : parseDuration(words[++i]!);
      if (ms === undefined) return { error: DRAIN_USAGE };
      if (w === '--timeout') timeoutMs = ms;
      else intervalMs = Math.max(10, ms);
    } else if (target === undefined && /^[^/\s]+\/[^/\s]+$/.test(w)) target = w;
    else return { error: DRAIN_USAGE };
  }
  if (!target) return { error: DRAIN_USAGE };
  return { target, wait, intervalMs, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

export interface DrainOutcome {
  readonly code: number;
  readonly report: { server: string; state: 'drain'; idle: boolean; scur?: number; waitedMs: number; error?: string };
}

/** Runs a drain against `send` (one admin-socket command per call). `sleep` and `now` are injectable for tests. */
export async function runDrain(
  request: DrainRequest,
  send: (line: string) => Promise<string>,
  clock: { now(): number; sleep(ms: number): Promise<void> } = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
): Promise<DrainOutcome> {
  const started = clock.now();
  const answer = (await send(`set server ${request.target} state drain`)).trim();
  const base = { server: request.target, state: 'drain' as const };
  if (answer !== '') return { code: 1, report: { ...base, idle: false, waitedMs: 0, error: answer } };
  const [backend, server] = request.target.split('/') as [string, string];
  for (;;) {
    const rows = parseStatCsv(await send('show stat'));
    const row = rows.find((r) => r.pxname === backend && r.svname === server);
    const scur = Number(row?.scur ?? 0);
    const waitedMs = clock.now() - started;
    if (!request.wait || scur === 0) return { code: 0, report: { ...base, idle: scur === 0, scur, waitedMs } };
    if (request.timeoutMs !== undefined && waitedMs >= request.timeoutMs) {
      return { code: 1, report: { ...base, idle: false, scur, waitedMs, error: `still ${scur} current session(s) after ${request.timeoutMs} ms` } };
    }
    await clock.sleep(request.intervalMs);
  }
}
