#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCommandLine, USAGE } from './cli/command-line.js';
import type { DaemonOptions } from './cli/command-line.types.js';
import { runCheck } from './daemon/check-mode.js';
import { runKeepalivedCheck } from './vrrp/vrrp-config.js';
import { readEnvironment } from './daemon/environment.js';
import { DAEMON_CHILD_ENV, daemonize, runMaster, WORKER_ENV } from './daemon/process-supervision.js';
import { runDaemon } from './daemon/run-daemon.js';
import { StderrLogger } from './daemon/stderr-logger.js';
import { versionText } from './daemon/version.js';
import { demoConfig, startDemoBackends } from './demo/demo-backends.js';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  switch (parsed.kind) {
    case 'version':
      process.stdout.write(versionText(parsed.verbose));
      return 0;
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'error':
      process.stderr.write(`[ALERT]    (${process.pid}) : ${parsed.message}\n${USAGE}`);
      return 1;
  }
  const environment = readEnvironment();
  let options: DaemonOptions = parsed.options;
  let demoRunDir: string | undefined;

  if (options.demo) {
    demoRunDir = resolve('.tandem', 'demo');
    mkdirSync(demoRunDir, { recursive: true });
    const backends = await startDemoBackends();
    const configFile = join(demoRunDir, 'tandem.cfg');
    writeFileSync(configFile, demoConfig(backends, environment.demoPort));
    options = { ...options, configPaths: [configFile, ...options.configPaths] };
    printDemoBanner(environment.demoPort, configFile, backends.map((b) => `${b.name} on 127.0.0.1:${b.port}`));
  }

  if (options.checkOnly) {
    const haproxy = runCheck(options.configPaths, options.quiet);
    const keepalived = options.keepalivedConfig ? runKeepalivedCheck(options.keepalivedConfig, options.quiet) : 0;
    return haproxy || keepalived;
  }
  if (options.daemonize && !process.env[DAEMON_CHILD_ENV]) return daemonize(argv);
  if (options.masterWorker && !process.env[WORKER_ENV]) {
    return runMaster(argv, () => options.pidFile && writeFileSync(options.pidFile, `${process.pid}\n`));
  }

  const logger = new StderrLogger({ debug: options.debug, quiet: options.quiet });
  const runDir = demoRunDir ?? environment.runDir;
  return runDaemon({
    settings: {
      configPaths: options.configPaths,
      keepalivedConfig: options.keepalivedConfig ? resolve(options.keepalivedConfig) : undefined,
      stateDb: options.stateDb ?? (demoRunDir ? join(demoRunDir, 'state.db') : environment.stateDb),
      masterSocket: options.masterSocket ?? join(runDir, 'master.sock'),
      nodeName: options.localPeer ?? hostname(),
      logger,
    },
    // In master-worker mode the master owns the pidfile.
    pidFile: process.env[WORKER_ENV] ? undefined : options.pidFile,
    onReady: process.env[DAEMON_CHILD_ENV] ? () => logger.detach() : undefined,
  });
}

function printDemoBanner(port: number, configFile: string, backends: readonly string[]): void {
  process.stdout.write(`
Tandem demo: a frontend balancing over three demo backends, all on loopback.
  backends: ${backends.join(', ')} (the last has weight 2)
  config:   ${configFile}

Try:
  curl -s http://127.0.0.1:${port}/            # mode http, round robin by weight
  for i in 1 2 3 4; do curl -s http://127.0.0.1:${port}/; done
  curl -s http://127.0.0.1:${port + 1}/        # mode tcp frontend, same servers
  npx tandemctl -S .tandem/demo/master.sock reload   # or: kill -HUP <pid>
Stop with Ctrl-C.

`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[ALERT]    (${process.pid}) : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
