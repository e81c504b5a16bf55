/** What `tandemd`'s command line asks for. Flags follow HAProxy's; long options are Tandem's own. */
export interface DaemonOptions {
  /** `-f <file|dir>`, repeatable, in order. */
  readonly configPaths: readonly string[];
  /** `-c`: check the configuration and exit (0 valid, 1 invalid). */
  readonly checkOnly: boolean;
  /** `-d`: debug output on stderr. */
  readonly debug: boolean;
  /** `-D` (or `daemon` in the global section): go to the background. */
  readonly daemonize: boolean;
  /** `-W`: master-worker: a master process supervises one worker and relays signals. */
  readonly masterWorker: boolean;
  /** `-p <pidfile>`. */
  readonly pidFile?: string;
  /** `-L <name>`: the local peer name (defaults to the host name, as in HAProxy). */
  readonly localPeer?: string;
  /** `-S <path>`: the master CLI socket (tandemctl talks to it); Tandem defaults it under the run directory. */
  readonly masterSocket?: string;
  /** `-k <file>` / `--keepalived-config <file>`: keepalived.conf for VRRP (Tandem's own flag). */
  readonly keepalivedConfig?: string;
  /** `-q`: quiet. */
  readonly quiet: boolean;
  /** `--state-db <path>`: the SQLite state file (default /var/lib/tandem/state.db). */
  readonly stateDb?: string;
  /** `--demo`: run the embedded loopback demo (three demo backends and a balancing frontend). */
  readonly demo: boolean;
}

export type CommandLineResult =
  | { readonly kind: 'run'; readonly options: DaemonOptions }
  | { readonly kind: 'version'; readonly verbose: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };
