import type { CheckResult } from './health.types.js';

/** Counts HAProxy prints after a transition. */
export interface BackendTally {
  readonly activeUp: number;
  readonly backupUp: number;
  readonly sessionsActive: number;
  readonly requeued: number;
  readonly remainingInQueue: number;
}

function checkDetails(result: CheckResult): string {
  const code = result.code !== undefined ? `, code: ${result.code}` : '';
  const info = result.info ? `, info: "${result.info}"` : '';
  return `reason: ${result.reason}${code}${info}, check duration: ${Math.round(result.durationMs)}ms`;
}

/**
 * HAProxy 2.6's wording, e.g.
 * `Server web_servers/web01 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error",
 * check duration: 2ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`
 */
export function serverDownLine(backend: string, server: string, result: CheckResult, tally: BackendTally): string {
  return `Server ${backend}/${server} is DOWN, ${checkDetails(result)}. ${tally.activeUp} active and ${tally.backupUp} backup servers left. ${tally.sessionsActive} sessions active, ${tally.requeued} requeued, ${tally.remainingInQueue} remaining in queue.`;
}

/** `Server web_servers/web01 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.` */
export function serverUpLine(backend: string, server: string, result: CheckResult, tally: BackendTally): string {
  return `Server ${backend}/${server} is UP, ${checkDetails(result)}. ${tally.activeUp} active and ${tally.backupUp} backup servers online. ${tally.requeued} sessions requeued, ${tally.remainingInQueue} total in queue.`;
}

/** Logged (at emerg level by HAProxy) when the last server of a backend goes down. */
export function noServerLine(backend: string): string {
  return `Backend ${backend} has no server available!`;
}
