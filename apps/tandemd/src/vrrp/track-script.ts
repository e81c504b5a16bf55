/**
 * keepalived `vrrp_script` semantics (vrrp_track.c / vrrp_scheduler.c): the command runs every `interval`; a run
 * that exits 0 is a success, anything else (non-zero exit, signal, spawn error, `timeout` exceeded → SIGKILL) is a
 * failure; `rise` successes in a row make a failed script OK, `fall` failures in a row make an OK script fail. A
 * script starts OK unless `init_fail`. The command runs through `/bin/sh -c` (keepalived execs it directly; the shell
 * gives the same argument splitting for the usual `killall -0 haproxy` / `/path/check.sh arg` forms).
 */
import { spawn as nodeSpawn } from 'node:child_process';
import type { VrrpScriptConfig } from '@tandem/config';

/** Runs a command to completion: resolves with true when it exited 0 within timeoutMs. The side-effect port. */
export type ScriptRunner = (command: string, timeoutMs: number) => Promise<boolean>;

export const shellScriptRunner: ScriptRunner = (command, timeoutMs) =>
  new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(ok);
    };
    const child = nodeSpawn('/bin/sh', ['-c', command], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(false);
    }, timeoutMs);
    child.on('error', () => finish(false));
    child.on('exit', (code) => finish(code === 0));
  });

/** Rise/fall hysteresis: pure. */
export function nextScriptState(s: { ok: boolean; streak: number }, success: boolean, rise: number, fall: number): { ok: boolean; streak: number } {
  if (success === s.ok) return { ok: s.ok, streak: 0 };
  const streak = s.streak + 1;
  if (s.ok && streak >= fall) return { ok: false, streak: 0 };
  if (!s.ok && streak >= rise) return { ok: true, streak: 0 };
  return { ok: s.ok, streak };
}

export class TrackScript {
  private state: { ok: boolean; streak: number };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly listeners = new Set<(ok: boolean) => void>();

  constructor(
    readonly config: VrrpScriptConfig,
    private readonly run: ScriptRunner = shellScriptRunner,
  ) {
    this.state = { ok: !config.initFail, streak: 0 };
  }

  get ok(): boolean {
    return this.state.ok;
  }

  onChange(listener: (ok: boolean) => void): void {
    this.listeners.add(listener);
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const success = await this.run(this.config.script, this.config.timeoutMs);
    if (this.stopped) return;
    const before = this.state.ok;
    this.state = nextScriptState(this.state, success, this.config.rise, this.config.fall);
    if (this.state.ok !== before) for (const l of this.listeners) l(this.state.ok);
    this.timer = setTimeout(() => void this.tick(), this.config.intervalMs);
  }
}
