import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place in libs/testing/dist/src/io/. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
export const TANDEMD_MAIN = join(REPO_ROOT, 'apps', 'tandemd', 'dist', 'src', 'main.js');
export const TANDEMCTL_MAIN = join(REPO_ROOT, 'apps', 'tandemctl', 'dist', 'src', 'main.js');

/** A scratch directory for one test, removed by `cleanup()`. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'tandem-test-'));

  file(name: string, content: string | Buffer): string {
    const path = join(this.path, name);
    writeFileSync(path, content);
    return path;
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node script of the project to completion (bounded by `timeoutMs`) and collects its output. */
export function runNode(script: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return runCommand(process.execPath, [script, ...args], options);
}

/** Runs any program (curl, openssl, haproxy...) to completion, bounded by `timeoutMs`, and collects its output. */
export function runCommand(program: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, [...args], { env: { ...process.env, ...options.env }, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * A real tandemd process for a black-box scenario. `start()` resolves once the daemon says it is ready (or rejects
 * with its stderr if it exits first). Every instance is stopped by PID by `stop()`; tests never signal anything
 * they did not start.
 */
export class TandemdProcess {
  readonly child: ChildProcess;
  private output = '';
  private exited?: Promise<number | null>;
  private readonly waiters: Array<{ pattern: RegExp; from: number; resolve: () => void }> = [];

  constructor(readonly args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
    this.child = spawn(process.execPath, [TANDEMD_MAIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      for (const waiter of [...this.waiters]) {
        if (waiter.pattern.test(this.output.slice(waiter.from))) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolveExit) => this.child.on('exit', (code) => resolveExit(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything the daemon printed so far (stdout and stderr interleaved). */
  get log(): string {
    return this.output;
  }

  /** Waits until the output (from `fromOffset`) matches `pattern`; rejects if the daemon exits or time runs out. */
  waitFor(pattern: RegExp, timeoutMs = 20_000, fromOffset = 0): Promise<void> {
    if (pattern.test(this.output.slice(fromOffset))) return Promise.resolve();
    return new Promise((resolveWait, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in tandemd output:\n${this.output}`)), timeoutMs);
      const waiter = { pattern, from: fromOffset, resolve: () => { clearTimeout(timer); resolveWait(); } };
      this.waiters.push(waiter);
      void this.exited!.then((code) => {
        if (this.waiters.includes(waiter)) {
          clearTimeout(timer);
          reject(new Error(`tandemd exited (code ${code}) before ${pattern}:\n${this.output}`));
        }
      });
    });
  }

  start(timeoutMs = 20_000): Promise<void> {
    return this.waitFor(/tandemd ready/, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Resolves with the exit code when the process is gone. */
  waitExit(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.exited!,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`tandemd did not exit within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Stops the daemon (SIGTERM, then SIGKILL after a grace period) and waits for it. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.signal('SIGTERM');
    const killer = setTimeout(() => this.signal('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(killer);
  }
}

/** Writes a config file into `dir` and returns the tandemd arguments to run it with its own state and socket. */
export function daemonArgs(dir: TempDir, configText: string, extra: readonly string[] = []): string[] {
  const config = dir.file('tandem.cfg', configText);
  return ['-f', config, '--state-db', join(dir.path, 'state.db'), '-S', join(dir.path, 'master.sock'), ...extra];
}

/** True when `program` can be run (found on PATH). Tests that need a Debian tool say clearly why they skip. */
export async function hasProgram(program: string): Promise<boolean> {
  try {
    await runCommand(program, ['-h'], { timeoutMs: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate and its key in one PEM (HAProxy's `crt` format), made by the real openssl. */
export async function selfSignedPem(dir: TempDir, commonName: string): Promise<string> {
  const key = join(dir.path, `${commonName}.key`);
  const cert = join(dir.path, `${commonName}.crt`);
  const result = await runCommand('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', `/CN=${commonName}`, '-keyout', key, '-out', cert], { timeoutMs: 20_000 });
  if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  const { readFileSync } = await import('node:fs');
  return dir.file(`${commonName}.pem`, Buffer.concat([readFileSync(cert), readFileSync(key)]));
}

/** The smallest useful tandemd config: one HTTP frontend on `port` balancing over `servers` on loopback. */
export function httpFrontendConfig(port: number, servers: readonly { name: string; port: number }[]): string {
  return `defaults
    mode http
    timeout connect 2s
    timeout client 20s
    timeout server 20s
frontend fe
    bind 127.0.0.1:${port}
    default_backend be
backend be
    balance roundrobin
${servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port}`).join('\n')}
`;
}
