import { spawn, type ChildProcess } from 'node:child_process';

/** Set in the environment of a process started by `-D` or `-W`, so it does not fork again. */
export const DAEMON_CHILD_ENV = 'TANDEMD_DAEMON_CHILD';
export const WORKER_ENV = 'TANDEMD_WORKER';

/** The message a child sends its parent over IPC once it serves traffic (or failed to start). */
export type ReadyMessage = { readonly tandemd: 'ready' } | { readonly tandemd: 'failed'; readonly code: number };

export function notifyParent(message: ReadyMessage): void {
  if (process.send) process.send(message);
}

function relaunch(args: readonly string[], env: Record<string, string>, stdio: 'daemon' | 'worker'): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    detached: stdio === 'daemon',
    stdio: stdio === 'daemon' ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
}

/**
 * `-D`: start the same command in the background and return its exit verdict: 0 once it serves traffic, 1 if it
 * failed. Its startup messages are relayed to our stderr until then, so a broken config is visible to the operator
 * who typed the command; after that the daemon no longer writes to the terminal.
 */
export function daemonize(args: readonly string[]): Promise<number> {
  const child = relaunch(args.filter((a) => a !== '-D'), { [DAEMON_CHILD_ENV]: '1' }, 'daemon');
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve) => {
    child.on('message', (message: ReadyMessage) => {
      if (message.tandemd === 'ready') {
        child.stderr?.destroy();
        child.disconnect();
        child.unref();
        resolve(0);
      } else {
        resolve(message.code || 1);
      }
    });
    child.on('exit', (code) => resolve(code || 1));
  });
}

/**
 * `-W`: this process becomes the master; it runs one worker with the same arguments, relays SIGHUP (reload),
 * SIGUSR1 (graceful stop), SIGTERM and SIGINT to it, and exits with the worker's exit code. Reloads happen inside
 * the worker without closing its listening sockets, so the master never has to re-execute.
 */
export function runMaster(args: readonly string[], onReady: () => void): Promise<number> {
  const worker = relaunch(args.filter((a) => a !== '-W' && a !== '-Ws'), { [WORKER_ENV]: '1' }, 'worker');
  for (const signal of ['SIGHUP', 'SIGUSR1', 'SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => worker.kill(signal));
  }
  worker.on('message', (message: ReadyMessage) => {
    if (message.tandemd === 'ready') onReady();
  });
  return new Promise((resolve) => worker.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
