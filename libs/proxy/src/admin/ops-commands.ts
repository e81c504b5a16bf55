import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { FrontendRuntime } from '../runtime.types.js';
import { AdminCommandError, lookupServer, type AdminCommandContext, type ProxyAdminCommand, type ProxyAdminOptions } from './proxy-commands.js';
import type { ProxyAdminSource } from './proxy-view.js';
import { addrChange, maxconnChange, type RuntimeChange } from './runtime-overrides.js';
import { encodeShowErrors } from './errors-dump.js';

/**
 * More of HAProxy 2.6's CLI (issue #5): `show backend`, `show errors`, `clear counters [all]`,
 * `set maxconn server|frontend|global`, and the `addr` form of `set server`. Same conventions as
 * proxy-commands.ts: plain objects registered by apps/tandemd, HAProxy's levels and answers.
 *
 * `set server ... addr` and `set maxconn server` are runtime overrides (stored before they apply, re-applied after a
 * reload, runtime-overrides.ts). `set maxconn frontend` and `global` change the running generation only, as in
 * HAProxy (a reload reads the config's value again).
 */
export interface ProxyOpsOptions extends ProxyAdminOptions {
  /** The process-wide connection limit `set maxconn global` changes (`show info` reads it). */
  readonly globalMaxconn?: { get(): number; set(value: number): void };
  /** The time `show errors` reports, for tests. */
  readonly now?: () => Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** HAProxy's log date: `25/Nov/2026:23:22:03.713` (local time). */
export function haproxyDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function proxyOpsCommands(source: ProxyAdminSource, options: ProxyOpsOptions = {}): ProxyAdminCommand[] {
  const commit = (what: RuntimeChange, context: AdminCommandContext | undefined, apply: (s: ServerRuntime) => void, answer: string): string | Promise<string> =>
    commitRuntimeChange(source, options, what, context, apply, answer);
  const allCounters = () => {
    const { frontends, backends } = source.runtimes();
    return [...frontends.map((f) => f.counters), ...backends.flatMap((b) => [b.counters, ...b.servers.map((s) => s.counters)])];
  };
  return [
    {
      words: ['show', 'backend'],
      usage: 'show backend                            : list backends in the current running config',
      level: 'user',
      run: () => `# name\n${source.runtimes().backends.map((b) => `${b.config.name}\n`).join('')}`,
    },
    {
      words: ['show', 'errors'],
      usage: 'show errors [<px>] [request|response]   : report last request and/or response errors for each proxy',
      level: 'operator',
      // The last invalid request per frontend and response per backend (error-capture.ts, errors-dump.ts).
      run: (args) => encodeShowErrors(source.runtimes(), args, options.now?.() ?? new Date()),
    },
    {
      words: ['clear', 'counters'],
      usage: 'clear counters [all]                    : clear max statistics counters (or all counters)',
      level: 'operator',
      mutates: true,
      run: (args, context) => {
        if (args[0] === 'all') {
          if (context && context.level !== 'admin') return 'Permission denied\n';
          for (const c of allCounters()) c.reset();
        }
        // Without `all` HAProxy clears the max values (rate_max, req_rate_max, conn_rate_max).
        else for (const c of allCounters()) c.clearMax();
        return '';
      },
    },
    {
      words: ['set', 'maxconn', 'server'],
      usage: 'set maxconn server <bk>/<srv> <n>       : change a server\'s maxconn setting',
      level: 'admin',
      mutates: true,
      run: (args, context) => {
        const { backend, server } = lookupServer(source, args[0]);
        const n = parseCount(args[1], 'Require <maxconn>.');
        return commit(maxconnChange(backend, server, n), context, (s) => s.setMaxconn(n), '');
      },
    },
    {
      words: ['set', 'maxconn', 'frontend'],
      usage: 'set maxconn frontend <frontend> <value> : change a frontend\'s maxconn setting',
      level: 'admin',
      mutates: true,
      run: (args) => {
        if (!args[0]) throw new AdminCommandError('A frontend name is expected.');
        const fe = source.runtimes().frontends.find((f) => f.config.name === args[0]);
        if (!fe) throw new AdminCommandError('No such frontend.');
        const n = parseCount(args[1], 'Integer value expected.');
        setFrontendMaxconn(fe, n);
        source.admitWaiting?.();
        return '';
      },
    },
    {
      words: ['set', 'maxconn', 'global'],
      usage: 'set maxconn global <value>              : change the per-process maxconn setting',
      level: 'admin',
      mutates: true,
      run: (args) => {
        const n = parseCount(args[0], 'Expects an integer value.');
        if (n === 0) throw new AdminCommandError('Value out of range.');
        if (!options.globalMaxconn) throw new AdminCommandError('Not supported by this process.');
        options.globalMaxconn.set(n);
        return '';
      },
    },
  ];
}

/**
 * `set server <b>/<s> addr <ip> [port <p>]`, called by proxy-commands' `set server` (HAProxy answers what changed).
 * Returns the answer (or a promise of it) once the override is stored and applied.
 */
export function setServerAddr(
  source: ProxyAdminSource,
  options: ProxyAdminOptions,
  backend: BackendRuntime,
  server: ServerRuntime,
  args: readonly string[],
  context: AdminCommandContext | undefined,
): string | Promise<string> {
  const host = args[0];
  if (!host) throw new AdminCommandError('set server <b>/<s> addr requires an address and optionally a port.');
  if (!isIpLiteral(host.replace(/^\[|\]$/g, ''))) throw new AdminCommandError(`Invalid addr '${host}'.`);
  const bare = host.replace(/^\[|\]$/g, '');
  let port = server.config.endpoint.port;
  if (args[1] !== undefined) {
    if (args[1] !== 'port' || !args[2] || !/^\d+$/.test(args[2]) || Number(args[2]) < 1 || Number(args[2]) > 65535) {
      throw new AdminCommandError(`Invalid port '${args[2] ?? args[1]}'.`);
    }
    port = Number(args[2]);
  }
  const before = server.config.endpoint;
  const parts: string[] = [];
  if (before.host !== bare) parts.push(`IP changed from '${before.host}' to '${bare}'`);
  if (before.port !== port) parts.push(`port changed from '${before.port}' to '${port}'`);
  const answer = parts.length ? `${parts.join(', ')} by 'stats socket command'\n` : 'nothing changed\n';
  const what = addrChange(backend, server, bare, port);
  return commitRuntimeChange(source, options, what, context, (s) => s.setAddress(bare, port), answer);
}

/**
 * A runtime override (runtime-overrides.ts): stored through `options.commit` before it applies to the server of the
 * running generation, or applied at once without a store; answers `answer` once applied.
 */
function commitRuntimeChange(
  source: ProxyAdminSource,
  options: ProxyAdminOptions,
  what: RuntimeChange,
  context: AdminCommandContext | undefined,
  apply: (s: ServerRuntime) => void,
  answer: string,
): string | Promise<string> {
  const applyNow = () => {
    const current = source.runtimes().backends.find((b) => b.config.name === what.backend)?.server(what.server);
    if (!current) throw new AdminCommandError('No such server.');
    apply(current);
  };
  if (!options.commit) {
    applyNow();
    return answer;
  }
  return options.commit(what, context, applyNow).then(
    () => answer,
    (error: unknown) => {
      if (error instanceof AdminCommandError) throw error;
      throw new AdminCommandError(`Runtime change not applied: cannot store it (${error instanceof Error ? error.message : String(error)}).`);
    },
  );
}

/** The running generation's frontend only: its config object is replaced with the new limit (0 = unlimited). */
function setFrontendMaxconn(fe: FrontendRuntime, maxconn: number): void {
  (fe as { config: FrontendRuntime['config'] }).config = { ...fe.config, maxconn };
}

function parseCount(text: string | undefined, missing: string): number {
  if (text === undefined || text === '') throw new AdminCommandError(missing);
  if (!/^\d+$/.test(text) || Number(text) > 2 ** 31 - 1) throw new AdminCommandError('Integer value expected.');
  return Number(text);
}

/** An IPv4 or IPv6 literal (HAProxy's `addr` takes an address, not a name). Pure: no node:net outside io/. */
export function isIpLiteral(text: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  const doubles = text.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = text.split(':').filter((g) => g !== '');
  const tailV4 = groups.length > 0 && groups[groups.length - 1]!.includes('.');
  if (tailV4 && !isIpLiteral(groups[groups.length - 1]!)) return false;
  const count = groups.length + (tailV4 ? 1 : 0);
  if (groups.some((g, i) => !(tailV4 && i === groups.length - 1) && !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return doubles === 1 ? count < 8 : count === 8;
}
