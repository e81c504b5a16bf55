import type { CommandLineResult, DaemonOptions } from './command-line.types.js';

export const USAGE = `Usage : tandemd [-f <cfgfile|cfgdir>]* [ -vdVD ] [ -n <maxconn> ] [ -p <pidfile> ]
        -v displays version ; -vv shows known build options.
        -d enters debug mode ; -db only disables background mode.
        -D goes daemon ; -W master-worker mode.
        -q quiet mode : don't display messages
        -c check mode : only check config files and exit
        -p writes pids of all children to this file
        -L set local peer name
        -S <path> master CLI socket (tandemctl connects to it)
        --state-db <path> SQLite state file (default /var/lib/tandem/state.db)
        -k, --keepalived-config <file> keepalived.conf: run its vrrp_instances (VRRP);
           checked by -c; SIGHUP re-reads it (VRRP changes need a restart)
        --demo runs the embedded loopback demo
`;

/** Flags HAProxy has that Tandem does not implement: named, so the error is precise rather than "unknown". */
const NOT_IMPLEMENTED = new Map<string, string>([
  ['-n', 'set maxconn in the global section instead'],
  ['-N', 'set maxconn per proxy in the configuration instead'],
  ['-sf', 'tandemd reloads in place: send SIGHUP or run `tandemctl reload`'],
  ['-st', 'tandemd reloads in place: send SIGHUP or run `tandemctl reload`'],
  ['-x', 'tandemd reloads in place and keeps its listening sockets'],
  ['-C', 'use absolute paths in the configuration'],
]);

/** Parses argv (without node and the script) the way HAProxy's `haproxy` parses its own. Pure. */
export function parseCommandLine(argv: readonly string[]): CommandLineResult {
  const configPaths: string[] = [];
  const options: { -readonly [K in keyof DaemonOptions]?: DaemonOptions[K] } = {};
  const flags = { checkOnly: false, debug: false, daemonize: false, masterWorker: false, quiet: false, demo: false };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string): string | undefined => {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next.length > 1)) return undefined;
      i++;
      return next;
    };
    switch (arg) {
      case '-v':
      case '-V':
        return { kind: 'version', verbose: false };
      case '-vv':
        return { kind: 'version', verbose: true };
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '-f': {
        const path = value(arg);
        if (!path) return { kind: 'error', message: "'-f' requires a file or directory argument" };
        configPaths.push(path);
        break;
      }
      case '-c':
        flags.checkOnly = true;
        break;
      case '-d':
        flags.debug = true;
        break;
      case '-db':
        flags.daemonize = false;
        break;
      case '-D':
        flags.daemonize = true;
        break;
      case '-W':
      case '-Ws':
        flags.masterWorker = true;
        break;
      case '-q':
        flags.quiet = true;
        break;
      case '-p':
      case '-L':
      case '-S':
      case '-k':
      case '--keepalived-config':
      case '--state-db': {
        const v = value(arg);
        if (!v) return { kind: 'error', message: `'${arg}' requires an argument` };
        if (arg === '-p') options.pidFile = v;
        else if (arg === '-L') options.localPeer = v;
        else if (arg === '-S') options.masterSocket = v.split(',')[0];
        else if (arg === '-k' || arg === '--keepalived-config') options.keepalivedConfig = v;
        else options.stateDb = v;
        break;
      }
      case '--demo':
        flags.demo = true;
        break;
      default: {
        if (NOT_IMPLEMENTED.has(arg)) {
          return { kind: 'error', message: `'${arg}' is not implemented in tandemd: ${NOT_IMPLEMENTED.get(arg)}` };
        }
        if (arg.startsWith('-f') && arg.length > 2) {
          configPaths.push(arg.slice(2));
          break;
        }
        if (arg === '--') {
          configPaths.push(...argv.slice(i + 1));
          i = argv.length;
          break;
        }
        return { kind: 'error', message: `unknown option '${arg}'` };
      }
    }
  }
  if (configPaths.length === 0 && !flags.demo) {
    return { kind: 'error', message: 'No configuration file specified (use -f <file|dir>, or --demo for the loopback demo).' };
  }
  return { kind: 'run', options: { ...flags, ...options, configPaths } };
}
