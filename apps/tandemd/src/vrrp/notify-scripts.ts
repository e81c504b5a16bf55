/**
 * keepalived notify scripts: on a state change, `notify_master` / `notify_backup` / `notify_fault` (or
 * `notify_stop` when the instance stops) run first, then the generic `notify` with keepalived's arguments:
 * `<notify> INSTANCE <name> <STATE> <priority>`; for a `vrrp_sync_group` (kind 'GROUP'):
 * `<notify> GROUP <name> <STATE>`. Scripts run one after another, in the order of the state changes
 * (a queue), each through `/bin/sh -c` so a configured command line keeps its own arguments.
 */
import { spawn } from 'node:child_process';
import type { VrrpNotifyScripts } from '@tandem/config';

/** Runs a command line with extra arguments; resolves with the exit code (or -1). The side-effect port. */
export type NotifyRunner = (command: string, extraArgs: readonly string[]) => Promise<number>;

export const shellNotifyRunner: NotifyRunner = (command, extraArgs) =>
  new Promise((resolve) => {
    // "$@" appends the arguments after the configured command line, quoted.
    const child = spawn('/bin/sh', ['-c', extraArgs.length ? `${command} "$@"` : command, 'notify', ...extraArgs], { stdio: 'ignore' });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

export class NotifyQueue {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly scripts: VrrpNotifyScripts,
    private readonly onFailure: (command: string, code: number) => void,
    private readonly run: NotifyRunner = shellNotifyRunner,
    private readonly kind: 'INSTANCE' | 'GROUP' = 'INSTANCE',
  ) {}

  /** Queues the scripts of one state change. */
  notify(state: NotifyState, priority: number): void {
    const specific = { MASTER: this.scripts.notifyMaster, BACKUP: this.scripts.notifyBackup, FAULT: this.scripts.notifyFault, STOP: this.scripts.notifyStop }[state];
    const steps: [string, readonly string[]][] = [];
    if (specific) steps.push([specific, []]);
    if (this.scripts.notify) steps.push([this.scripts.notify, this.kind === 'GROUP' ? ['GROUP', this.name, state] : ['INSTANCE', this.name, state, String(priority)]]);
    for (const [command, args] of steps) {
      this.chain = this.chain.then(async () => {
        const code = await this.run(command, args);
        if (code !== 0) this.onFailure(command, code);
      });
    }
  }

  /** Resolves once every queued script has finished. */
  idle(): Promise<void> {
    return this.chain;
  }
}
