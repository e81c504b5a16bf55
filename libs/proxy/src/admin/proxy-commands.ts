import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import { setServerAdminState, stateChange, weightChange, type AdminStateValue, type RuntimeChange, type RuntimeChangeCommit } from './runtime-overrides.js';
import type { ProxyAdminSource } from './proxy-view.js';
import { encodeServersState } from './servers-state.js';
import { setServerAddr } from './ops-commands.js';
import { encodeStatCsv } from './stat-csv.js';
import { encodeStatJson, encodeStatTyped } from './stat-typed.js';
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
  /** True for commands that change something: they are written to the audit log. */
  readonly mutates?: boolean;
  run(args: readonly string[], context?: AdminCommandContext): string | Promise<string>;
}

/** The socket a command came in on (structurally @tandem/control's CommandContext). */
export interface AdminCommandContext {
  readonly level: 'user' | 'operator' | 'admin';
  readonly origin: string;
}

/** An admin command's refusal: its message is the answer (the control registry prints a thrown message). */
export class AdminCommandError extends Error {}

const SET_SERVER_USAGE =
  "'set server <srv>' only supports 'agent', 'health', 'state', 'weight', 'addr', 'fqdn', 'check-addr', 'check-port', 'ssl' and 'agent-addr'.";

export interface ProxyAdminOptions {
  /**
   * Makes a runtime change durable before it is applied (apps/tandemd stores it in SQLite). Without it (unit tests)
   * changes apply at once and answer synchronously.
   */
  readonly commit?: RuntimeChangeCommit;
}

export function proxyAdminCommands(source: ProxyAdminSource, options: ProxyAdminOptions = {}): ProxyAdminCommand[] {
  const findServer = (arg: string | undefined) => lookupServer(source, arg);
  /**
   * Validates first (the caller did), then stores, then applies: `apply` runs on the server of the generation that
   * is current when the store has answered (a reload may have swapped it meanwhile).
   */
  const change = (what: RuntimeChange, context: AdminCommandContext | undefined, apply: (server: ServerRuntime) => void): string | Promise<string> => {
    const applyNow = () => {
      const current = source.runtimes().backends.find((b) => b.config.name === what.backend)?.server(what.server);
      if (!current) throw new AdminCommandError('No such server.');
      apply(current);
    };
    if (!options.commit) {
      applyNow();
      return '';
    }
    return options.commit(what, context, applyNow).then(
      () => '',
      (error: unknown) => {
        if (error instanceof AdminCommandError) throw error;
        throw new AdminCommandError(`Runtime change not applied: cannot store it (${error instanceof Error ? error.message : String(error)}).`);
      },
    );
  };
  return [
    {
      words: ['show', 'stat'],
      usage: 'show stat [typed|json] [<iid> <type> <sid>] : report counters for each proxy and server',
      level: 'user',
      run: (args) => {
        // `show stat [typed|json] [<iid> <type> <sid>]` (stat-typed.ts): the same rows in HAProxy's other layouts.
        const format = args.includes('typed') ? 'typed' : args.includes('json') ? 'json' : 'csv';
        const rows = statRows(source.runtimes(), parseStatFilter(args.filter((a) => a !== 'typed' && a !== 'json')));
        return format === 'typed' ? encodeStatTyped(rows) : format === 'json' ? encodeStatJson(rows) : encodeStatCsv(rows);
      },
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
      mutates: true,
      run: (args, context) => {
        const { backend, server } = findServer(args[0]);
        const weight = parseWeight(backend, server, args[1]);
        return change(weightChange(backend, server, weight), context, (s) => s.setState(s.state, weight));
      },
    },
    {
      words: ['set', 'server'],
      usage: "set server <bk>/<srv> [opts]             : change a server's state, weight or address",
      level: 'admin',
      mutates: true,
      run: (args, context) => {
        const { backend, server } = findServer(args[0]);
        switch (args[1]) {
          case 'state': {
            const admin = args[2];
            if (admin !== 'ready' && admin !== 'drain' && admin !== 'maint') {
              throw new AdminCommandError("'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
            }
            return change(stateChange(backend, server, admin), context, (s) => setServerAdminState(s, admin));
          }
          case 'weight': {
            const weight = parseWeight(backend, server, args[2]);
            return change(weightChange(backend, server, weight), context, (s) => s.setState(s.state, weight));
          }
          case 'addr':
            return setServerAddr(source, options, backend, server, args.slice(2), context);
          default:
            throw new AdminCommandError(SET_SERVER_USAGE);
        }
      },
    },
    {
      words: ['enable', 'server'],
      usage: 'enable server (DEPRECATED)               : enable a disabled server (use \'set server\' instead)',
      level: 'admin',
      mutates: true,
      run: (args, context) => {
        const { backend, server } = findServer(args[0]);
        return change(stateChange(backend, server, 'ready'), context, (s) => setServerAdminState(s, 'ready'));
      },
    },
    {
      words: ['disable', 'server'],
      usage: 'disable server (DEPRECATED)              : disable a server for maintenance (use \'set server\' instead)',
      level: 'admin',
      mutates: true,
      run: (args, context) => {
        const { backend, server } = findServer(args[0]);
        return change(stateChange(backend, server, 'maint'), context, (s) => setServerAdminState(s, 'maint'));
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

/** `set server ... state ready|drain|maint` on one server (see setServerAdminState). */
export function setAdminState(server: ServerRuntime, admin: AdminStateValue): void {
  setServerAdminState(server, admin);
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

function parseWeight(backend: BackendRuntime, server: ServerRuntime, text: string | undefined): number {
  const weight = parseWeightChange(server, backend, text);
  if (typeof weight === 'string') throw new AdminCommandError(weight);
  return weight;
}

/** `show stat [{<iid>|<proxy>} <type> <sid>]` (`typed`/`json` removed by the caller); `desc`, `up`, `no-maint` are not done yet. */
function parseStatFilter(args: readonly string[]): StatFilter {
  const words = args.filter((a) => a !== 'domain' && a !== 'proxy');
  const unsupported = words.find((a) => ['desc', 'up', 'no-maint', 'dns'].includes(a));
  if (unsupported) throw new AdminCommandError(`show stat: '${unsupported}' is not implemented yet (issue #5).`);
  if (words.length === 0) return { types: -1, sid: -1 };
  if (words.length !== 3) throw new AdminCommandError('Require a proxy id or name, a type and a server id (or -1 for all).');
  const [proxy, type, sid] = words as [string, string, string];
  const numeric = /^-?\d+$/.test(proxy) ? Number(proxy) : undefined;
  if (!/^-?\d+$/.test(type) || !/^-?\d+$/.test(sid)) throw new AdminCommandError('Type and server id must be numbers (-1 for all).');
  return { proxy: numeric ?? proxy, types: Number(type), sid: Number(sid) };
}
