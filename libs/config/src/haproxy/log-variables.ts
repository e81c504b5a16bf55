/**
 * The `%<var>` names of HAProxy 2.6's log-format language (configuration.txt 8.2.4) and where they have a value.
 * `request`: known while rules run (addresses, names, dates, the request line, captures, the unique ID), so a rule
 * value may use them. Anything else only exists when the transaction is logged (timers, byte counts, the
 * termination state…): in a rule value it is a load error naming what it reads.
 */
export type LogVariableUse = { readonly at: 'request' } | { readonly at: 'log'; readonly reads: string };

const REQUEST: LogVariableUse = { at: 'request' };
const log = (reads: string): LogVariableUse => ({ at: 'log', reads });
const TIMER = log('the transaction timers');

export const LOG_VARIABLES: ReadonlyMap<string, LogVariableUse> = new Map<string, LogVariableUse>([
  ...['ci', 'cp', 'fi', 'fp', 'fc', 'bc', 'b', 'f', 'ft', 's', 'si', 'sp', 'H', 'pid', 'ID', 't', 'tr', 'trg', 'trl', 'T', 'Tl', 'Ts', 'ms', 'rt', 'HM', 'HU', 'HP', 'HQ', 'HV', 'r', 'hr', 'hrl', 'hs', 'hsl'].map((n): [string, LogVariableUse] => [n, REQUEST]),
  ...['Th', 'Ti', 'TR', 'Tq', 'Tw', 'Tc', 'Tr', 'Ta', 'Tt', 'Tu', 'Td'].map((n): [string, LogVariableUse] => [n, TIMER]),
  ['B', log('the byte counts')],
  ['U', log('the byte counts')],
  ['ST', log('the status sent to the client')],
  ['ts', log('the termination state')],
  ['tsc', log('the termination state')],
  ['ac', log('the connection counts at log time')],
  ['sc', log('the connection counts at log time')],
  ['rc', log('the retry count')],
  ['sq', log('the queue positions')],
  ['bq', log('the queue positions')],
  ['CC', log('captured cookies')],
  ['CS', log('captured cookies')],
  ['bi', log('the backend connection')],
  ['bp', log('the backend connection')],
  ['sslc', log('the TLS session')],
  ['sslv', log('the TLS session')],
]);

/** The longest known variable name at the start of `text` (`%Tr` is not `%T` + `r`, `%trg` is not `%tr` + `g`). */
export function longestVariable(text: string): string | undefined {
  const m = /^[A-Za-z]+/.exec(text);
  if (!m) return undefined;
  for (let name = m[0]; name.length > 0; name = name.slice(0, -1)) if (LOG_VARIABLES.has(name) || name === 'o') return name;
  return undefined;
}
