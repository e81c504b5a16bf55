import type { Clock, Logger } from '@tandem/core';
import {
  agentCheck,
  CheckMonitor,
  parseAgentReply,
  weightFromPercent,
  DEFAULT_EXPECT,
  httpCheck,
  noServerLine,
  parseHttpchkOption,
  parseHttpExpect,
  serverDownLine,
  serverUpLine,
  slowstartStepMs,
  slowstartWeight,
  tcpCheckSequence,
  tcpConnectCheck,
  withHttpCheckSend,
  type CheckResult,
  type CheckTls,
} from '@tandem/health';
import type { GlobalSettings } from '@tandem/config';
import { TandemError } from '@tandem/core';
import type { BackendRuntime, ServerRuntime } from './backend-runtime.js';
import { checkStatusCode } from '../stat-extras.js';

/**
 * Runs the health checks of one backend generation: a CheckMonitor per server with `check`, whose transitions
 * set the server's state (the selector is rebuilt and swapped by ServerRuntime) and log HAProxy's lines.
 * Checks of servers in maintenance or drain do not change their admin state.
 */
export class BackendHealth {
  private readonly monitors: CheckMonitor[] = [];
  private readonly byServer = new Map<ServerRuntime, CheckMonitor>();
  private readonly agentTimers: Array<{ cancel(): void }> = [];
  private readonly ramps = new Map<ServerRuntime, { cancel(): void }>();
  private stopped = false;

  constructor(
    private readonly backend: BackendRuntime,
    private readonly clock: Clock,
    private readonly logger: Logger,
    global: Pick<GlobalSettings, 'spreadChecks' | 'maxSpreadChecks'> = { spreadChecks: 0 },
  ) {
    const cfg = backend.config.healthCheck;
    const timeout = backend.config.timeouts.check ?? backend.config.timeouts.connect ?? 2000;
    let run: (server: ServerRuntime) => Promise<CheckResult>;
    if (cfg.kind === 'http') {
      const parsed = parseHttpchkOption(cfg.httpchk);
      const request = typeof parsed === 'string' ? parsed : withHttpCheckSend(parsed, cfg.send);
      const expect = cfg.expect ? parseHttpExpect(cfg.expect) : DEFAULT_EXPECT;
      if (typeof request === 'string' || typeof expect === 'string') {
        throw new TandemError('E_HEALTH_CONFIG', 'health', `${cfg.source.file}:${cfg.source.line}: backend '${backend.config.name}': ${typeof request === 'string' ? request : expect}`);
      }
      run = (server) => httpCheck(checkEndpoint(server), request, expect, timeout, checkTls(server));
    } else if (cfg.tcpRules?.length) {
      const rules = cfg.tcpRules;
      run = (server) => tcpCheckSequence(checkEndpoint(server), rules, timeout, checkTls(server));
    } else {
      run = (server) => tcpConnectCheck(checkEndpoint(server), timeout, checkTls(server));
    }
    const checked = backend.servers.filter((s) => s.config.check.enabled && !s.config.disabled);
    checked.forEach((server, index) => {
      const c = server.config.check;
      const monitor = new CheckMonitor(
        clock,
        { inter: c.inter, rise: c.rise, fall: c.fall, spreadPercent: global.spreadChecks, ...(c.fastinter ? { fastinter: c.fastinter } : {}), ...(c.downinter ? { downinter: c.downinter } : {}) },
        () => run(server).then((result) => recordCheck(server, result)),
        (transition, result) => this.onTransition(server, transition, result),
      );
      this.monitors.push(monitor);
      this.byServer.set(server, monitor);
      // Spread the first checks over one interval (at most max-spread-checks) so servers are not probed at once.
      const window = Math.min(c.inter, global.maxSpreadChecks ?? c.inter);
      monitor.start(Math.floor((window * index) / Math.max(1, checked.length)));
    });
    for (const server of backend.servers.filter((s) => s.config.check.agent && !s.config.disabled)) this.runAgent(server, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const m of this.monitors) m.stop();
    for (const t of this.agentTimers) t.cancel();
    for (const r of this.ramps.values()) r.cancel();
  }

  /**
   * The agent loop of one server: every agent-inter, read one line from the agent and apply it. Admin words
   * (drain, maint, ready) set the admin state; up/down the operational state, but `up` never overrides a failing
   * health check; NN% sets the weight as a share of the configured one.
   */
  private runAgent(server: ServerRuntime, delay: number): void {
    const agent = server.config.check.agent!;
    const endpoint = { host: agent.addr ?? server.config.endpoint.host, port: agent.port, family: server.config.endpoint.family };
    const timer = this.clock.setTimeout(() => {
      void agentCheck(endpoint, agent.send, this.backend.config.timeouts.check ?? this.backend.config.timeouts.connect ?? 2000).then(({ line }) => {
        if (this.stopped) return;
        if (line !== undefined) this.applyAgent(server, line);
        this.runAgent(server, agent.inter);
      });
    }, delay);
    this.agentTimers.push(timer);
  }

  private applyAgent(server: ServerRuntime, line: string): void {
    const name = `${this.backend.config.name}/${server.name}`;
    const reply = parseAgentReply(line);
    if (typeof reply === 'string') {
      this.logger.log('warning', `Server ${name}: agent reply ignored: ${reply}`);
      return;
    }
    const healthy = this.byServer.get(server)?.up ?? true;
    let state = server.state;
    if (reply.admin === 'drain' || reply.admin === 'maint') state = reply.admin;
    else if (reply.admin === 'ready' && (state === 'drain' || state === 'maint')) state = healthy ? 'up' : 'down';
    if (state !== 'drain' && state !== 'maint') {
      if (reply.operational === 'down') state = 'down';
      else if (reply.operational === 'up' && healthy) state = 'up';
    }
    const weight = reply.weightPercent !== undefined ? weightFromPercent(server.config.weight, reply.weightPercent) : server.weight;
    if (state === server.state && weight === server.weight) return;
    server.setState(state, weight);
    this.logger.log('notice', `Server ${name} is ${state.toUpperCase()} with weight ${weight}/${server.config.weight} (agent: "${line}")${reply.reason ? `, reason: ${reply.reason}` : ''}.`);
  }

  private onTransition(server: ServerRuntime, transition: 'up' | 'down', result: CheckResult): void {
    if (transition === 'down') server.counters.check.downs++;
    if (server.state === 'maint' || server.state === 'drain') return;
    this.ramps.get(server)?.cancel();
    this.ramps.delete(server);
    const slowstart = server.config.check.slowstart;
    if (transition === 'up' && slowstart) this.rampUp(server, slowstart);
    else server.setState(transition === 'up' ? 'up' : 'down');
    // Established sessions stay on a server that goes down unless the operator asked otherwise (as in HAProxy).
    const shutDown = transition === 'down' && server.config.check.shutdownSessionsOnDown ? server.sessions.size : 0;
    if (shutDown) for (const session of [...server.sessions]) session.abort();
    const servers = this.backend.servers;
    const tally = {
      activeUp: servers.filter((s) => !s.backup && s.state === 'up').length,
      backupUp: servers.filter((s) => s.backup && s.state === 'up').length,
      sessionsActive: server.counters.current,
      // HAProxy's "N requeued, M remaining in queue": requests that waited for this server, moved to the backend
      // queue (option redispatch) or still waiting for it.
      requeued: transition === 'down' ? server.lastRequeued : 0,
      remainingInQueue: server.queue.length,
    };
    const name = this.backend.config.name;
    // HAProxy prints server transitions as warnings and the empty backend as an alert.
    if (transition === 'up') {
      this.logger.log('warning', serverUpLine(name, server.name, result, tally));
    } else {
      this.logger.log('warning', serverDownLine(name, server.name, result, tally));
      if (shutDown) this.logger.log('warning', `Server ${name}/${server.name}: ${shutDown} session(s) shut down (on-marked-down shutdown-sessions).`);
      if (tally.activeUp + tally.backupUp === 0) this.logger.log('alert', noServerLine(name));
    }
  }

  /**
   * `slowstart`: the server comes back with a small weight that grows every step until it reaches its configured
   * weight. Each step rebuilds the selector, like any weight change.
   */
  private rampUp(server: ServerRuntime, slowstartMs: number): void {
    const target = server.config.weight;
    const since = this.clock.now();
    const step = () => {
      if (this.stopped) return;
      const weight = slowstartWeight(target, this.clock.now() - since, slowstartMs);
      server.setState('up', weight);
      if (weight >= target) {
        this.ramps.delete(server);
        return;
      }
      this.ramps.set(server, this.clock.setTimeout(step, slowstartStepMs(slowstartMs)));
    };
    step();
  }
}

/** `show stat`'s check fields (issue #5): the last result, and `chkfail` for a failure while the server is UP. */
function recordCheck(server: ServerRuntime, result: CheckResult): CheckResult {
  const c = server.counters.check;
  c.status = checkStatusCode(result.reason, result.ok);
  c.code = result.code;
  c.durationMs = result.durationMs;
  c.desc = result.reason;
  c.at = Date.now();
  if (!result.ok && server.state === 'up') c.failed++;
  return result;
}

/** TLS for checks: the server's own TLS settings, with `check-sni` as the name; `verify none` without `ssl`. */
function checkTls(server: ServerRuntime): CheckTls | undefined {
  const c = server.config.check;
  if (!c.ssl) return undefined;
  const base: CheckTls = server.config.tls ?? { verify: 'none' };
  return c.sni !== undefined ? { ...base, sni: c.sni } : base;
}

function checkEndpoint(server: ServerRuntime) {
  const c = server.config.check;
  const e = server.config.endpoint;
  return { host: c.addr ?? e.host, port: c.port ?? e.port, family: e.family };
}
