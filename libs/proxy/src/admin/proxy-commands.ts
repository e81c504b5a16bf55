import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ServerAdminState } from '../backend/server-state.types.js';
import type { ProxyAdminSource } from './proxy-view.js';
import { encodeServersState } from './servers-state.js';
import { encodeStatCsv } from './stat-csv.js';
import { statRows, type StatFilter } from './stat-rows.js';

/**
 * The proxy's admin-socket commands (ARCHITECTURE rule 15), as plain objects: this lib may not import
 * @tandem/control, so apps/tandemd registers them; the shape is structurally a control `ControlCommand`.
 * Answers and error texts are HAProxy 2.6's (src/stats.c, src/server.c, src/cli.c); the control server adds the
 * empty line that ends every answer. Levels are HAProxy's: reading is `user`, changing a server is `admin`.
 */
export interface ProxyAdminCommand {
  readonly words: readonly string[];
  readonly usage: string;
  readonly level: 'user' | 'operator' | 'admin';
  run(args: readonly string[]): string;
}

/** An admin command's refusal: its message is the answer (the control registry prints a thrown message). */
export class AdminCommandError extends Error {}

const SET_SERVER_USAGE =
  "'set server <srv>' only supports 'agent', 'health', 'state', 'weight', 'addr', 'fqdn', 'check-addr', 'check-port', 'ssl' and 'agent-addr'.";

export function proxyAdminCommands(source: ProxyAdminSource): ProxyAdminCommand[] {
  const findServer = (arg: string | undefined) => lookupServer(source, arg);
  return [
    {
      words: ['show', 'stat'],
      usage: 'show stat [<iid|proxy> <type> <sid>]      : report counters for each proxy and server (CSV)',
      level: 'user',
      run: (args) => encodeStatCsv(statRows(source.runtimes(), parseStatFilter(args))),
    },
    {
      words: ['show', 'servers', 'state'],
      usage: 'show servers state [<backend>]          : dump volatile server information (all or for a single backend)',
      level: 'user',
      run: (args) => {
        const runtimes = source.runtimes();
        if (args[0] === undefined) return encodeServersState(runtimes);
        const backend = runtimes.backends.find((b) => b.config.name === args[0]);
        if (!backend) throw new AdminCommandError("Can't find backend.");
        return encodeServersState(runtimes, backend);
      },
    },
    {
      words: ['get', 'weight'],
      usage: 'get weight <bk>/<srv>                    : report a server\'s current weight',
      level: 'user',
      run: (args) => {
        const { server } = findServer(args[0]);
        return `${server.weight} (initial ${server.config.weight})\n`;
      },
    },
    {
      words: ['set', 'weight'],
      usage: 'set weight <bk>/<srv>  (DEPRECATED)      : change a server\'s weight (use \'set server\' instead)',
      level: 'admin',
      run: (args) => {
        const { backend, server } = findServer(args[0]);
        applyWeight(backend, server, args[1]);
        return '';
      },
    },
    {
      words: ['set', 'server'],
      usage: "set server <bk>/<srv> [opts]             : change a server's state or weight",
      level: 'admin',
      run: (args) => {
        const { backend, server } = findServer(args[0]);
        switch (args[1]) {
          case 'state':
            if (args[2] !== 'ready' && args[2] !== 'drain' && args[2] !== 'maint') {
              throw new AdminCommandError("'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
            }
            setAdminState(server, args[2]);
            return '';
          case 'weight':
            applyWeight(backend, server, args[2]);
            return '';
          default:
            throw new AdminCommandError(SET_SERVER_USAGE);
        }
      },
    },
    {
      words: ['enable', 'server'],
      usage: 'enable server (DEPRECATED)               : enable a disabled server (use \'set server\' instead)',
      level: 'admin',
      run: (args) => {
        setAdminState(findServer(args[0]).server, 'ready');
        return '';
      },
    },
    {
      words: ['disable', 'server'],
      usage: 'disable server (DEPRECATED)              : disable a server for maintenance (use \'set server\' instead)',
      level: 'admin',
      run: (args) => {
        setAdminState(findServer(args[0]).server, 'maint');
        return '';
      },
    },
  ];
}

/** `<backend>/<server>` with HAProxy's three refusals (src/cli.c / src/server.c, cli_find_server). */
export function lookupServer(source: ProxyAdminSource, arg: string | undefined): { backend: BackendRuntime; server: ServerRuntime } {
  const slash = arg?.indexOf('/') ?? -1;
  if (arg === undefined || slash <= 0 || slash === arg.length - 1) throw new AdminCommandError("Require 'backend/server'.");
  const backend = source.runtimes().backends.find((b) => b.config.name === arg.slice(0, slash));
  if (!backend) throw new AdminCommandError('No such backend.');
  const server = backend.server(arg.slice(slash + 1));
  if (!server) throw new AdminCommandError('No such server.');
  return { backend, server };
}

/**
 * `set server ... state ready|drain|maint`. Tandem keeps one state per server (`up|down|drain|maint`), so `ready`
 * puts a drained or maintained server back UP; the next failing health check takes it DOWN again.
 */
export function setAdminState(server: ServerRuntime, admin: 'ready' | 'drain' | 'maint'): void {
  let next: ServerAdminState;
  if (admin === 'ready') next = server.state === 'drain' || server.state === 'maint' ? 'up' : server.state;
  else next = admin;
  server.setState(next);
}

/**
 * HAProxy's server_parse_weight_change_request(): `<w>` (0..256) or `<w>%` of the initial weight (capped at 256).
 * Static algorithms (static-rr, map-based hashing) only accept 0% and 100%, as in HAProxy.
 */
export function parseWeightChange(server: ServerRuntime, backend: BackendRuntime, text: string | undefined): number | string {
  if (text === undefined || text === '') return 'Require <weight> or <weight%>.';
  const m = /^([+-]?\d+)(.*)$/.exec(text);
  if (!m) return 'Empty weight string empty or preceded by garbage';
  let w = Number(m[1]);
  const rest = m[2];
  if (rest === '%') {
    if (w < 0) return 'Relative weight must be positive.';
    w = Math.min(256, Math.floor((server.config.weight * Math.min(w, 25600)) / 100));
  } else if (w < 0 || w > 256) {
    return 'Absolute weight can only be between 0 and 256 inclusive.';
  } else if (rest !== '') {
    return 'Trailing garbage in weight string';
  }
  if (w !== 0 && w !== server.config.weight && isStaticAlgorithm(backend)) {
    return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.";
  }
  return w;
}

const HASH_ALGORITHMS = new Set(['source', 'uri', 'url_param', 'hdr', 'rdp-cookie', 'hash']);

function isStaticAlgorithm(backend: BackendRuntime): boolean {
  const { algorithm, hashType } = backend.config.balance;
  return algorithm === 'static-rr' || (HASH_ALGORITHMS.has(algorithm) && hashType !== 'consistent');
}

function applyWeight(backend: BackendRuntime, server: ServerRuntime, text: string | undefined): void {
  const weight = parseWeightChange(server, backend, text);
  if (typeof weight === 'string') throw new AdminCommandError(weight);
  server.setState(server.state, weight);
}

/** `show stat [{<iid>|<proxy>} <type> <sid>]`; `typed`, `json`, `desc`, `up`, `no-maint` are not done yet. */
function parseStatFilter(args: readonly string[]): StatFilter {
  const words = args.filter((a) => a !== 'domain' && a !== 'proxy');
  const unsupported = words.find((a) => ['typed', 'json', 'desc', 'up', 'no-maint', 'dns'].includes(a));
  if (unsupported) throw new AdminCommandError(`show stat: '${unsupported}' is not implemented yet (issue #5).`);
  if (words.length === 0) return { types: -1, sid: -1 };
  if (words.length !== 3) throw new AdminCommandError('Require a proxy id or name, a type and a server id (or -1 for all).');
  const [proxy, type, sid] = words as [string, string, string];
  const numeric = /^-?\d+$/.test(proxy) ? Number(proxy) : undefined;
  if (!/^-?\d+$/.test(type) || !/^-?\d+$/.test(sid)) throw new AdminCommandError('Type and server id must be numbers (-1 for all).');
  return { proxy: numeric ?? proxy, types: Number(type), sid: Number(sid) };
}
