import type { Clock, Logger } from '@tandem/core';
import {
  CheckMonitor,
  DEFAULT_EXPECT,
  httpCheck,
  noServerLine,
  parseHttpchkOption,
  parseHttpExpect,
  serverDownLine,
  serverUpLine,
  tcpConnectCheck,
  type CheckResult,
} from '@tandem/health';
import { TandemError } from '@tandem/core';
import type { BackendRuntime, ServerRuntime } from './backend-runtime.js';

/**
 * Runs the health checks of one backend generation: a CheckMonitor per server with `check`, whose transitions
 * set the server's state (the selector is rebuilt and swapped by ServerRuntime) and log HAProxy's lines.
 * Checks of servers in maintenance or drain do not change their admin state.
 */
export class BackendHealth {
  private readonly monitors: CheckMonitor[] = [];

  constructor(
    private readonly backend: BackendRuntime,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    const cfg = backend.config.healthCheck;
    const timeout = backend.config.timeouts.check ?? backend.config.timeouts.connect ?? 2000;
    let run: (server: ServerRuntime) => Promise<CheckResult>;
    if (cfg.kind === 'http') {
      const request = parseHttpchkOption(cfg.httpchk);
      const expect = cfg.expect ? parseHttpExpect(cfg.expect) : DEFAULT_EXPECT;
      if (typeof request === 'string' || typeof expect === 'string') {
        throw new TandemError('E_HEALTH_CONFIG', 'health', `${cfg.source.file}:${cfg.source.line}: backend '${backend.config.name}': ${typeof request === 'string' ? request : expect}`);
      }
      run = (server) => httpCheck(checkEndpoint(server), request, expect, timeout);
    } else {
      run = (server) => tcpConnectCheck(checkEndpoint(server), timeout);
    }
    const checked = backend.servers.filter((s) => s.config.check.enabled && !s.config.disabled);
    checked.forEach((server, index) => {
      const c = server.config.check;
      const monitor = new CheckMonitor(
        clock,
        { inter: c.inter, rise: c.rise, fall: c.fall, ...(c.fastinter ? { fastinter: c.fastinter } : {}), ...(c.downinter ? { downinter: c.downinter } : {}) },
        () => run(server),
        (transition, result) => this.onTransition(server, transition, result),
      );
      this.monitors.push(monitor);
      // Spread the first checks over one interval so servers are not all probed at once.
      monitor.start(Math.floor((c.inter * index) / Math.max(1, checked.length)));
    });
  }

  stop(): void {
    for (const m of this.monitors) m.stop();
  }

  private onTransition(server: ServerRuntime, transition: 'up' | 'down', result: CheckResult): void {
    if (server.state === 'maint' || server.state === 'drain') return;
    server.setState(transition === 'up' ? 'up' : 'down');
    const servers = this.backend.servers;
    const tally = {
      activeUp: servers.filter((s) => !s.backup && s.state === 'up').length,
      backupUp: servers.filter((s) => s.backup && s.state === 'up').length,
      sessionsActive: server.counters.current,
      requeued: 0,
      remainingInQueue: 0,
    };
    const name = this.backend.config.name;
    // HAProxy prints server transitions as warnings and the empty backend as an alert.
    if (transition === 'up') {
      this.logger.log('warning', serverUpLine(name, server.name, result, tally));
    } else {
      this.logger.log('warning', serverDownLine(name, server.name, result, tally));
      if (tally.activeUp + tally.backupUp === 0) this.logger.log('alert', noServerLine(name));
    }
  }
}

function checkEndpoint(server: ServerRuntime) {
  const c = server.config.check;
  const e = server.config.endpoint;
  return { host: c.addr ?? e.host, port: c.port ?? e.port, family: e.family };
}
