/** `tandemctl [-S <socket>] [--json] <command words...>`. Pure parsing, tested beside. */
export interface CtlArguments {
  readonly socket: string;
  readonly json: boolean;
  readonly words: readonly string[];
}

export const CTL_USAGE = `Usage: tandemctl [-S <master-socket>] [--json] <command>
  reload            reload tandemd's configuration (exit 1 if it was rejected; the old one keeps running)
  show info         process information
  show version      running version
  audit [<n>]       the latest audited admin actions (when, socket and level, command, result), newest first
  config history [<n>]   configurations this node applied or rejected (id, time, outcome, trigger, sha256)
  config diff <a> <b>    unified diff of two recorded configurations (ids from 'config history')
  vrrp handover [cancel] [<instance>]   planned switchover: the MASTER hands its VIPs to the peer make-before-break
                    (0 failed requests) and stays BACKUP at priority 1 until 'vrrp handover cancel' or a restart
  drain <b>/<s> [--wait [--timeout <t>]]   drain a server; with --wait, return once it has no current session
  show stat | show info | show backend | show errors   tables on a terminal, JSON objects with --json
  <anything else>   sent as is to the socket (HAProxy CLI syntax; separate several commands with ';')
The socket defaults to $TANDEM_RUN_DIR/master.sock (/run/tandem/master.sock).
`;

export function parseCtlArguments(argv: readonly string[], env: NodeJS.ProcessEnv): CtlArguments | { error: string } {
  let socket = `${env.TANDEM_RUN_DIR || '/run/tandem'}/master.sock`;
  let json = false;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '-S' || arg === '--socket') && words.length === 0) {
      const value = argv[++i];
      if (!value) return { error: `'${arg}' requires a socket path` };
      socket = value;
    } else if (arg === '--json' && words.length === 0) {
      json = true;
    } else {
      words.push(arg);
    }
  }
  if (words.length === 0) return { error: 'no command given' };
  return { socket, json, words };
}

/** Turns the master CLI's `reload` answer (`Success=1\n--\n...`) into an exit code and a readable report. */
export function interpretReload(answer: string): { ok: boolean; messages: string[] } {
  const [status = '', ...rest] = answer.split('\n');
  const messages = rest.filter((line) => line !== '--' && line.trim() !== '');
  return { ok: status.trim() === 'Success=1', messages };
}
