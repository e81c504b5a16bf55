/** Boot and teardown shared by tandemd's black-box scenarios. */
import { daemonArgs, TandemdProcess, type TempDir } from './tandemd-process.js';

/** Starts tandemd on `config` (written into `dir`) and resolves once it is ready. */
export async function bootTandemd(dir: TempDir, config: string): Promise<TandemdProcess> {
  const daemon = new TandemdProcess(daemonArgs(dir, config));
  await daemon.start();
  return daemon;
}

/** Stops the daemon (if it was started), closes the stub backends (those started), removes the directory. */
export async function stopScenario(daemon: TandemdProcess | undefined, stubs: readonly ({ close(): Promise<void> } | undefined)[], dir: TempDir): Promise<void> {
  await daemon?.stop();
  await Promise.all(stubs.map((s) => s?.close()));
  dir.cleanup();
}
