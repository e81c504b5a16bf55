import { TandemError } from '@tandem/core';
import { ACCESS_LEVEL_RANK, type AuditSink, type CommandContext, type ControlCommand } from './control.types.js';

/**
 * The admin commands every lib contributes (ARCHITECTURE rule 15). A lib registers its own commands; the control
 * server only frames and dispatches. Matching is word by word, the longest registered prefix wins, like HAProxy's
 * CLI keyword tree.
 */
export class CommandRegistry {
  private readonly commands: ControlCommand[] = [];
  private auditSink?: AuditSink;

  /**
   * Every command marked `mutates` (run, failed or refused) is reported to the sink once it has answered and before
   * the answer is returned, so an operator who got an answer finds it in the audit log.
   */
  setAuditSink(sink: AuditSink): void {
    this.auditSink = sink;
  }

  register(command: ControlCommand): void {
    const key = command.words.join(' ');
    if (this.commands.some((c) => c.words.join(' ') === key)) {
      throw new TandemError('E_CONTROL_DUPLICATE', 'control', `command '${key}' is already registered`);
    }
    this.commands.push(command);
    this.commands.sort((a, b) => b.words.length - a.words.length);
  }

  /** Runs one command line (already split into words). Unknown commands answer HAProxy's "Unknown command" text. */
  async execute(words: readonly string[], context: CommandContext): Promise<string> {
    if (words.length === 0) return '';
    if (words[0] === 'help') return this.help(context);
    const command = this.commands.find((c) => c.words.every((w, i) => words[i] === w));
    if (!command) return `Unknown command: '${words[0]}'\n\n${this.help(context)}`;
    let answer: string;
    let outcome: 'ok' | 'denied' | 'error';
    if (ACCESS_LEVEL_RANK[context.level] < ACCESS_LEVEL_RANK[command.level]) {
      answer = 'Permission denied\n';
      outcome = 'denied';
    } else {
      try {
        answer = await command.run(words.slice(command.words.length), context);
        outcome = 'ok';
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        answer = `${message}\n`;
        outcome = 'error';
      }
    }
    if (command.mutates && this.auditSink) await this.auditSink({ line: words.join(' '), context, answer, outcome });
    return answer;
  }

  /** The commands this level may run, one usage line each, as HAProxy's `help` lists them. */
  help(context: CommandContext): string {
    const lines = this.commands
      .filter((c) => ACCESS_LEVEL_RANK[context.level] >= ACCESS_LEVEL_RANK[c.level])
      .map((c) => `  ${c.usage}`)
      .sort();
    // `prompt` and `quit` belong to the protocol (the control server handles them), listed as HAProxy lists them.
    return `The following commands are valid at this level:\n  help                                    : this message\n  prompt                                  : toggle interactive mode with prompt\n  quit                                    : disconnect\n${lines.join('\n')}\n`;
  }
}
