/** Permission levels of HAProxy's admin socket, in increasing order of power. */
export type AccessLevel = 'user' | 'operator' | 'admin';

export const ACCESS_LEVEL_RANK: Readonly<Record<AccessLevel, number>> = Object.freeze({ user: 0, operator: 1, admin: 2 });

/** Who is asking: the socket a command came in on, and its level. Recorded in the audit log. */
export interface CommandContext {
  readonly level: AccessLevel;
  /** A description of the socket, e.g. `unix@/run/tandem/master.sock`. */
  readonly origin: string;
}

/** The text a command answers. HAProxy's CLI ends every answer with an empty line; the server adds it. */
export type CommandOutput = string;

export interface ControlCommand {
  /** The command's words, e.g. ['show', 'info'] or ['reload']. Matched word by word, longest first. */
  readonly words: readonly string[];
  /** One line for `help`, in HAProxy's style: `<words> <args> : <what it does>`. */
  readonly usage: string;
  readonly level: AccessLevel;
  /** True when the command changes something (a server's state, a reload): it is reported to the audit sink. */
  readonly mutates?: boolean;
  run(args: readonly string[], context: CommandContext): CommandOutput | Promise<CommandOutput>;
}

/** One executed command that changes something (or was refused), as the audit log records it. */
export interface AuditedCommand {
  /** The command line as received (words joined by one space). */
  readonly line: string;
  readonly context: CommandContext;
  /** The answer, without the trailing empty line the server adds. */
  readonly answer: string;
  /** `denied` when the level is too low, `error` when the command threw (its message is the answer), else `ok`. */
  readonly outcome: 'ok' | 'denied' | 'error';
}

/** Where the registry reports audited commands; awaited before the answer is sent. Must not throw. */
export type AuditSink = (entry: AuditedCommand) => Promise<void>;
