/**
 * The VRRP worker: every keepalived `vrrp_instance` runs here with its raw socket, timers, track scripts and
 * notify scripts, on an event loop of its own, so adverts leave on time even when the proxy keeps the main thread
 * busy. It runs as a child process (fork + IPC), not a worker_thread: the raw-socket addon registers its poll
 * watcher on uv_default_loop(), i.e. the main thread's loop, so inside a worker_thread its callbacks would run on
 * the wrong thread (observed: hung sends, then a segfault). The child ignores SIGINT/SIGHUP (the daemon drives it)
 * and stops cleanly when the daemon says so or when the IPC channel closes (the daemon died). The main thread
 * (VrrpHost) only sends heartbeats, backend health and commands; VRRP and proxy talk through these messages alone
 * (ARCHITECTURE rule 14).
 *
 * Trackers feeding priority.ts, per instance:
 *  - `track_script` entries: real `vrrp_script`s (track-script.ts), keepalived semantics;
 *  - built-in `vrrp_script`s, recognised by their `script` text (never executed):
 *      `script "tandem:dataplane"`                   OK while the main thread's heartbeats arrive;
 *      `script "tandem:backend-healthy <backend>"`   OK while <backend> has at least one server in rotation;
 *  - the data-plane-stalled tracker is always on: when an instance does not track a `tandem:dataplane` script, it
 *    gets one implicitly with weight −(priority − 1), so a stalled node advertises priority 1 and any healthy peer
 *    takes over, without the FAULT a weight-0 failure would cause (FAULT would silence the node completely).
 * "Stalled" means no heartbeat for more than 3 heartbeat intervals.
 *  - interfaces (keepalived's interface tracking): the instance's own interface unless `dont_track_primary`
 *    (weight 0: link down means FAULT, VIPs removed; link up means BACKUP, then an election) and every
 *    `track_interface` entry (weight as written, none = 0 = FAULT). Polled from sysfs every 50 ms (io/link-monitor).
 *
 * Start gate: an instance is not started, and does not leave FAULT, until the proxy is ready (the daemon reports
 * its listeners bound) and every `tandem:backend-healthy` backend it tracks has a server in rotation, for at most
 * `startHoldMs`. A restarted or reconnected node thus never takes the VIP back before it can serve it.
 *
 * Sync groups (`vrrp_sync_group`, keepalived's semantics, decided by @tandem/vrrp's pure sync-group.ts): a member's
 * own fault drags the others into FAULT and they leave it together; a Master stepping down to BACKUP takes the
 * other Masters with it (priority 0, VIPs removed); a Backup becomes Master only when every member can (the
 * runner's masterGate). The group's notify scripts run on its state changes with `GROUP <name> <STATE>`.
 */
import { networkInterfaces } from 'node:os';
import { SystemClock } from '@tandem/core';
import type { VrrpInstanceConfig, VrrpScriptConfig, VrrpSyncGroupConfig } from '@tandem/config';
import {
  AddressAnnouncer,
  ArpingGarp,
  InstanceRunner,
  RawVrrp6Socket,
  IpCommandVipManager,
  RawVrrpSocket,
  SysfsLinkMonitor,
  effectivePriority,
  runnerSettingsFromKeepalived,
  syncGroupDecide,
  syncGroupNotify,
  syncGroupState,
  type InstanceStateName,
  type SyncDecision,
  type SyncMemberView,
  type SyncTrigger,
  type TrackedObject,
  type VrrpTransport,
} from '@tandem/vrrp';
import { NotifyQueue } from './notify-scripts.js';
import { TrackScript } from './track-script.js';
import type { HostToWorker, InstanceView, VrrpWorkerData, WorkerToHost } from './vrrp-messages.types.js';

if (!process.send) throw new Error('vrrp-worker.js runs as a child process with an IPC channel (VrrpHost forks it)');
let data: VrrpWorkerData = { config: { globalDefs: undefined as never, scripts: [], instances: [], syncGroups: [], files: [] }, heartbeatMs: 100 };
const post = (m: WorkerToHost): void => {
  if (process.connected) process.send!(m);
};
const log = (level: Extract<WorkerToHost, { type: 'log' }>['level'], message: string): void => post({ type: 'log', level, message });

const BUILTIN_PREFIX = 'tandem:';

interface Tracked extends TrackedObject {
  ok: boolean;
  /** For built-ins: 'dataplane' or 'backend:<name>'. */
  readonly source: string;
}

interface Instance {
  readonly config: VrrpInstanceConfig;
  readonly runner: InstanceRunner;
  readonly transport: VrrpTransport;
  readonly notify: NotifyQueue;
  readonly tracked: Tracked[];
  readonly address: string;
  lastAdvertSrc: string;
  fault: boolean;
  /** Started (Startup sent to the state machine): false while the start gate holds it. */
  started: boolean;
  /** A faultCleared held by the start gate. */
  faultClearPending: boolean;
  holdSince: number;
  /** `vrrp handover` ran: priority held at 1 (priority.ts) until `vrrp handover cancel` or a restart. */
  handedOver: boolean;
  /** The `vrrp_sync_group` this instance belongs to. */
  readonly group: Group | undefined;
}

interface Group {
  readonly config: VrrpSyncGroupConfig;
  /** The members started so far (a member not started yet counts as INIT). */
  readonly members: Instance[];
  state: InstanceStateName;
  readonly notify: NotifyQueue;
}

const groups = new Map<string, Group>();

function groupViews(g: Group): SyncMemberView[] {
  return g.config.members.map((name) => {
    const i = g.members.find((m) => m.config.name === name);
    return i ? { name, state: i.runner.state, ownFault: i.fault, wantsMaster: i.runner.wantsMaster } : { name, state: 'INIT', ownFault: false, wantsMaster: false };
  });
}

/** Asks the group (pure sync-group.ts) about `trigger` and performs the commands for the other members. */
function syncGroup(i: Instance, trigger: SyncTrigger['type'], extra: Partial<SyncTrigger> = {}): boolean {
  const g = i.group;
  if (!g || stopping) return true;
  const d: SyncDecision = syncGroupDecide(groupViews(g), { type: trigger, member: i.config.name, ...extra } as SyncTrigger);
  if (d.allow && d.commands.length > 0) {
    const to = trigger === 'wantsMaster' ? 'MASTER' : trigger === 'ownFault' ? 'FAULT' : trigger === 'ownFaultCleared' ? 'BACKUP' : 'BACKUP';
    log('notice', `VRRP_Group(${g.config.name}) Syncing instances to ${to} state (${i.config.name})`);
  }
  if (d.allow) {
    for (const c of d.commands) {
      const m = g.members.find((x) => x.config.name === c.member);
      if (!m) continue;
      if (c.type === 'becomeMaster') m.runner.becomeMaster();
      else if (c.event.type === 'faultCleared') {
        if (m.runner.state !== 'FAULT') continue;
        m.faultClearPending = true; // through the start gate, like its own fault clearing
        m.holdSince = Date.now();
        openGate(m);
      } else m.runner.dispatch(c.event);
    }
  }
  updateGroupState(g);
  return d.allow;
}

function updateGroupState(g: Group): void {
  const next = syncGroupState(groupViews(g));
  const n = syncGroupNotify(g.state, next);
  if (next === g.state) return;
  g.state = next;
  if (n && !stopping) {
    log('notice', `VRRP_Group(${g.config.name}) Entering ${n} STATE`);
    g.notify.notify(n as 'MASTER' | 'BACKUP' | 'FAULT', 0);
  }
}

/** Another member of i's group has a fault of its own. */
function groupFaulted(i: Instance): boolean {
  return !!i.group?.members.some((m) => m !== i && m.fault);
}

const instances: Instance[] = [];
const scripts = new Map<string, TrackScript>();
let lastBeat = Date.now();
let dataPlaneOk = true;
let backendHealth: Record<string, boolean> = {};
let healthKnown = false;
let proxyReady = false;
let stopping = false;
const links = new SysfsLinkMonitor(50);
const linkWatches = new Map<string, () => void>();

async function interfaceAddress(name: string): Promise<{ address: string; prefixLength: number }> {
  // libuv lists an interface only once it is RUNNING (carrier up): a fresh veth may need a moment.
  for (let i = 0; i < 60; i++) {
    const a = networkInterfaces()[name]?.find((x) => x.family === 'IPv4');
    if (a) return { address: a.address, prefixLength: Number(a.cidr?.split('/')[1] ?? 24) };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`interface ${name} has no IPv4 address`);
}

/** The interface's link-local IPv6 address (VRRPv3 over IPv6 sends from it, RFC 5798 §5.1.2.1). */
async function linkLocalAddress(name: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const a = networkInterfaces()[name]?.find((x) => x.family === 'IPv6' && /^fe[89ab]/i.test(x.address));
    if (a) return a.address;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`interface ${name} has no IPv6 link-local address`);
}

/** Opens the IPv6 transport; retries while the link-local address is still tentative (DAD: bind gives EADDRNOTAVAIL). */
async function openVrrp6(options: ConstructorParameters<typeof RawVrrp6Socket>[0]): Promise<RawVrrp6Socket> {
  for (let i = 0; ; i++) {
    try {
      return new RawVrrp6Socket(options);
    } catch (error) {
      if (i >= 60 || (error as { errno?: number }).errno !== 99) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function builtinOk(source: string): boolean {
  if (source === 'dataplane') return dataPlaneOk;
  if (source.startsWith('if:')) return links.isUp(source.slice(3));
  return backendHealth[source.slice('backend:'.length)] === true;
}

function trackersFor(inst: VrrpInstanceConfig, byName: Map<string, VrrpScriptConfig>): Tracked[] {
  const out: Tracked[] = [];
  for (const ref of inst.trackScripts) {
    const sc = byName.get(ref.name);
    if (!sc) continue; // the parser reports unknown scripts
    const weight = ref.weight ?? sc.weight;
    const reverse = ref.reverse || sc.weightReverse;
    const text = sc.script.trim();
    if (text.startsWith(BUILTIN_PREFIX)) {
      const [kind, arg] = text.slice(BUILTIN_PREFIX.length).split(/\s+/);
      const source = kind === 'dataplane' ? 'dataplane' : kind === 'backend-healthy' && arg ? `backend:${arg}` : undefined;
      if (!source) {
        log('err', `VRRP_Script(${sc.name}): unknown built-in tracker '${text}' (use tandem:dataplane or tandem:backend-healthy <backend>); ignored`);
        continue;
      }
      out.push({ kind: 'tracker', name: sc.name, weight, reverse, ok: builtinOk(source), source });
    } else {
      let ts = scripts.get(sc.name);
      if (!ts) scripts.set(sc.name, (ts = new TrackScript(sc)));
      out.push({ kind: 'script', name: sc.name, weight, reverse, ok: ts.ok, source: `script:${sc.name}` });
    }
  }
  // keepalived tracks the instance's own interface (weight 0: down = FAULT) unless dont_track_primary.
  const ifaces = new Map<string, { weight: number; reverse: boolean }>();
  if (!inst.dontTrackPrimary) ifaces.set(inst.interface, { weight: 0, reverse: false });
  for (const ti of inst.trackInterfaces) ifaces.set(ti.name, { weight: ti.weight ?? 0, reverse: ti.reverse });
  for (const [name, { weight, reverse }] of ifaces) {
    out.push({ kind: 'interface', name, weight, reverse, ok: builtinOk(`if:${name}`), source: `if:${name}` });
  }
  if (!out.some((t) => t.source === 'dataplane') && inst.priority > 1 && inst.priority < 255) {
    out.push({ kind: 'tracker', name: 'dataplane-stalled', weight: -(inst.priority - 1), ok: dataPlaneOk, source: 'dataplane' });
  }
  return out;
}

/** Recomputes an instance's effective priority (priority.ts) and tells its state machine what changed. */
function reevaluate(i: Instance): void {
  const e = effectivePriority(i.config.priority, i.tracked, { handedOver: i.handedOver });
  if (e.priority !== i.runner.priority) {
    log('notice', `VRRP_Instance(${i.config.name}) Changing effective priority from ${i.runner.priority} to ${e.priority}`);
    i.runner.dispatch({ type: 'priorityChanged', priority: e.priority });
  }
  if (e.fault !== i.fault) {
    i.fault = e.fault;
    log('notice', `VRRP_Instance(${i.config.name}) ${e.fault ? `fault (${e.faultedBy.join(', ')})` : 'fault cleared'}`);
    if (e.fault) {
      i.faultClearPending = false;
      if (i.started) i.runner.dispatch({ type: 'fault' });
      syncGroup(i, 'ownFault');
    } else {
      i.faultClearPending = true;
      i.holdSince = Date.now();
    }
  }
  openGate(i);
}

/** Proxy ready for this instance: listeners bound, backend health known, its tracked backends healthy. */
function proxyReadyFor(i: Instance): boolean {
  return proxyReady && healthKnown && i.tracked.every((t) => !t.source.startsWith('backend:') || t.ok);
}

/** Starts a held instance, or passes on a held faultCleared, once the proxy is ready or the hold expired. */
function openGate(i: Instance): void {
  if (stopping || (i.started && !i.faultClearPending)) return;
  const ready = proxyReadyFor(i);
  const expired = Date.now() - i.holdSince >= (data.startHoldMs ?? 10_000);
  if (!ready && !expired) return;
  if (!ready) log('warning', `VRRP_Instance(${i.config.name}) proxy not ready after ${data.startHoldMs ?? 10_000} ms; going on`);
  if (!i.started) {
    i.started = true;
    i.faultClearPending = false;
    i.runner.start();
    if (i.fault) i.runner.dispatch({ type: 'fault' });
    else if (groupFaulted(i)) i.runner.dispatch({ type: 'fault' }); // its group is FAULT: it starts there too
    else if (i.runner.state === 'FAULT') i.runner.dispatch({ type: 'faultCleared' }); // the group dragged it there before it started
    if (i.group) updateGroupState(i.group);
  } else if (i.faultClearPending && !i.fault) {
    i.faultClearPending = false;
    // A sync group stays FAULT while another member has a fault of its own; the last one to clear frees them all.
    if (i.group && !stopping) {
      const d = syncGroupDecide(groupViews(i.group), { type: 'ownFaultCleared', member: i.config.name });
      if (!d.allow) return;
      i.runner.dispatch({ type: 'faultCleared' });
      syncGroup(i, 'ownFaultCleared');
      return;
    }
    i.runner.dispatch({ type: 'faultCleared' });
  }
}

function setSource(source: string, ok: boolean): void {
  for (const i of instances) {
    let changed = false;
    for (const t of i.tracked) if (t.source === source && t.ok !== ok) (t.ok = ok), (changed = true);
    if (changed) reevaluate(i);
  }
}

async function startInstance(inst: VrrpInstanceConfig, byName: Map<string, VrrpScriptConfig>): Promise<void> {
  const v6 = inst.virtualIpAddresses[0]?.family === 6 || inst.unicastSrcIp?.includes(':') === true;
  const { address, prefixLength } = v6 ? { address: await linkLocalAddress(inst.interface), prefixLength: 64 } : await interfaceAddress(inst.interface);
  // Unicast: our adverts come from unicast_src_ip, which is then also our address in the election's tie-break.
  const settings = runnerSettingsFromKeepalived(inst, inst.unicastSrcIp ?? address, data.config.globalDefs.vrrpGarpIntervalMs);
  const vipPort = new IpCommandVipManager();
  await vipPort.removeLeftovers(settings.vips); // VIPs left by a previous run that died without cleaning up
  const expect = {
    version: settings.config.version,
    vrid: settings.config.vrid,
    ...(settings.auth ? { authType: settings.auth.type, authData: settings.auth.data, advertIntervalSec: settings.config.advertIntervalCs / 100 } : {}),
  };
  const transport: VrrpTransport = v6
    ? await openVrrp6({ interface: inst.interface, address, expect, unicastPeers: inst.unicastPeers.map((p) => p.address) })
    : new RawVrrpSocket({
    interface: inst.interface,
    address,
    prefixLength,
    ...(inst.unicastPeers.length > 0 ? { unicastPeers: inst.unicastPeers.map((p) => p.address) } : {}),
    ...(inst.unicastSrcIp !== undefined ? { unicastSrcIp: inst.unicastSrcIp } : {}),
    expect,
  });
  const tracked = trackersFor(inst, byName);
  const initial = effectivePriority(inst.priority, tracked);
  const group = inst.syncGroup !== undefined ? groups.get(inst.syncGroup) : undefined;
  let self: Instance | undefined;
  const runner = new InstanceRunner({
    name: inst.name, ...settings, priority: initial.priority, transport, vipPort, garp: new AddressAnnouncer(new ArpingGarp()), clock: new SystemClock(),
    // keepalived vrrp_sync_can_goto_master: MASTER only when every member of the group can be.
    ...(group ? { masterGate: () => !self || syncGroup(self, 'wantsMaster') } : {}),
  });
  const notify = new NotifyQueue(inst.name, inst, (command, code) => log('warning', `VRRP_Instance(${inst.name}) notify script '${command}' exited with ${code}`));
  const i: Instance = {
    config: inst, runner, transport, notify, tracked, address, lastAdvertSrc: '', fault: initial.fault, started: false, faultClearPending: false, holdSince: Date.now(), handedOver: false, group,
  };
  self = i;
  group?.members.push(i);
  transport.onAdvert((r) => (i.lastAdvertSrc = r.src));
  runner.onEvent((e) => {
    if (e.type === 'state') {
      log('notice', `VRRP_Instance(${inst.name}) Entering ${e.to} STATE (priority ${runner.priority})`);
      if (e.to !== 'INIT') notify.notify(e.to, runner.priority);
      if (group) syncGroup(i, 'stateChanged', { from: e.from, to: e.to });
    } else if (e.type === 'masterDeferred') {
      log('info', `VRRP_Instance(${inst.name}) would be MASTER; waiting for the other members of sync group ${group?.config.name ?? ''}`);
    } else if (e.type === 'error') {
      log('err', `VRRP_Instance(${inst.name}) ${e.action} failed: ${e.error}`);
    }
  });
  instances.push(i);
  for (const t of tracked) {
    if (t.kind !== 'interface' || linkWatches.has(t.source)) continue;
    linkWatches.set(t.source, links.watch(t.name, (up) => {
      log('notice', `Netlink reports ${t.name} ${up ? 'up' : 'down'}`);
      setSource(t.source, up);
    }));
  }
  openGate(i);
  if (!i.started) log('notice', `VRRP_Instance(${inst.name}) waiting for the proxy to be ready before starting`);
}

function view(i: Instance): InstanceView {
  const e = effectivePriority(i.config.priority, i.tracked, { handedOver: i.handedOver });
  return {
    name: i.config.name,
    interface: i.config.interface,
    vrid: i.config.virtualRouterId,
    state: i.runner.state,
    basePriority: i.config.priority,
    effectivePriority: i.runner.priority,
    fault: e.fault,
    handedOver: i.handedOver,
    masterIp: i.runner.state === 'MASTER' ? i.address : i.runner.state === 'BACKUP' ? i.lastAdvertSrc : '',
    vips: i.config.virtualIpAddresses.map((v) => `${v.address}/${v.prefixLength}`),
    trackers: i.tracked.map((t) => ({ name: t.name, kind: t.kind, weight: t.weight, ok: t.ok })),
    counters: i.transport.counters(),
  };
}

/**
 * `vrrp handover [cancel] [<instance>]`. A Master hands over make-before-break (InstanceRunner.handover); then,
 * and on a node that is not Master, the priority is held at 1 so the node does not preempt back: the hold lasts
 * until `vrrp handover cancel` or a restart (it is not persisted), because a planned switchover is usually
 * maintenance and the operator, not the preempt rule, decides when the node serves again. The held node still takes
 * over if every peer goes silent (its Master_Down_Timer runs as usual).
 */
async function handover(name: string | undefined, cancel: boolean): Promise<string> {
  const targets = instances.filter((i) => !name || i.config.name === name);
  if (name && targets.length === 0) return `No VRRP instance '${name}'.\n`;
  if (targets.length === 0) return 'No VRRP instance.\n';
  const lines = await Promise.all(
    targets.map(async (i): Promise<string> => {
      const n = i.config.name;
      if (cancel) {
        const had = i.handedOver || i.runner.handingOver;
        i.handedOver = false;
        i.runner.cancelHandover();
        reevaluate(i);
        log('notice', `VRRP_Instance(${n}) handover cancelled; effective priority ${i.runner.priority}`);
        return had ? `${n}: handover cancelled; effective priority ${i.runner.priority} (${i.runner.state}).` : `${n}: no handover to cancel.`;
      }
      if (stopping) return `${n}: stopping.`;
      log('notice', `VRRP_Instance(${n}) handover requested (${i.runner.state})`);
      // Dispatched before the priority drops: a Master handing over advertises 0 and ignores priority changes.
      const pending = i.runner.handover();
      i.handedOver = true;
      reevaluate(i);
      const r = await pending;
      const hold = `priority held at ${i.runner.priority} until 'vrrp handover cancel' or a restart`;
      switch (r.outcome) {
        case 'handedOver':
          log('notice', `VRRP_Instance(${n}) handed over to ${r.newMaster} in ${r.ms} ms`);
          return `${n}: handed over to ${r.newMaster} in ${r.ms} ms (VIPs released after the new master was heard); BACKUP, ${hold}.`;
        case 'timeout':
          log('warning', `VRRP_Instance(${n}) handover: no new master heard within ${r.ms} ms; VIPs released anyway`);
          return `${n}: no new master heard within ${r.ms} ms; VIPs released anyway; ${i.runner.state}, ${hold}.`;
        case 'cancelled':
          return `${n}: handover interrupted (${i.runner.state}).`;
        case 'notMaster':
          return `${n}: not MASTER (${i.runner.state}); ${hold}.`;
      }
    }),
  );
  return `${lines.join('\n')}\n`;
}

let stopped: Promise<void> | undefined;
/** `handover`: Masters hand over make-before-break first (graceful stop); without: release at once (daemon died). */
function stopAll(handover = true): Promise<void> {
  stopped ??= stopNow(handover);
  return stopped;
}

async function stopNow(handover: boolean): Promise<void> {
  stopping = true;
  for (const s of scripts.values()) s.stop();
  links.close();
  // Master: priority-0 advert; with `handover` the VIPs stay until the new Master is heard (bounded), so the proxy,
  // which the daemon stops only after this worker, serves every request still reaching this node.
  await Promise.all(
    instances.map(async (i) => {
      await i.runner.stop({ handover });
      i.notify.notify('STOP', 0);
      log('notice', `VRRP_Instance(${i.config.name}) stopped`);
      await i.transport.close();
    }),
  );
  await Promise.race([Promise.all(instances.map((i) => i.notify.idle())), new Promise((r) => setTimeout(r, 2000))]);
  post({ type: 'stopped' });
}

process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));
// The daemon died: its proxy is gone, so the VIPs go at once (nothing would serve them during a handover).
process.on('disconnect', () => void stopAll(false).then(() => process.exit(0)));
process.on('message', (m: HostToWorker) => {
  switch (m.type) {
    case 'init':
      data = m.data;
      startWatchdog();
      main().catch((error: unknown) => {
        log('alert', `VRRP: ${error instanceof Error ? error.message : String(error)}`);
        void stopAll(); // undoes what started, then reports 'stopped' (before 'ready': the host treats it as a failure)
      });
      return;
    case 'heartbeat':
      lastBeat = Date.now();
      if (m.proxyReady !== undefined) proxyReady = m.proxyReady;
      if (m.backends) {
        backendHealth = { ...m.backends };
        healthKnown = true;
        for (const i of instances) {
          let changed = false;
          for (const t of i.tracked) {
            if (!t.source.startsWith('backend:')) continue;
            const ok = builtinOk(t.source);
            if (t.ok !== ok) (t.ok = ok), (changed = true);
          }
          if (changed) reevaluate(i);
        }
      }
      for (const i of instances) openGate(i);
      if (!dataPlaneOk) {
        dataPlaneOk = true;
        log('notice', 'VRRP: data plane heartbeat is back');
        setSource('dataplane', true);
      }
      return;
    case 'show':
      post({ type: 'show', id: m.id, instances: instances.map(view) });
      return;
    case 'stop':
      void stopAll(m.handover ?? true).then(() => setTimeout(() => process.exit(0), 20));
      return;
    case 'handover':
      void handover(m.instance, m.cancel).then(
        (text) => post({ type: 'handover', id: m.id, text }),
        (error: unknown) => post({ type: 'handover', id: m.id, text: `handover failed: ${error instanceof Error ? error.message : String(error)}\n` }),
      );
      return;
  }
});

// The stall watchdog runs on the worker's own event loop, which the proxy cannot block.
function startWatchdog(): void {
  lastBeat = Date.now();
  setInterval(() => {
    const silent = Date.now() - lastBeat;
    if (!stopping && dataPlaneOk && silent > 3 * data.heartbeatMs) {
      dataPlaneOk = false;
      log('warning', `VRRP: data plane stalled (no heartbeat for ${silent} ms): lowering priority`);
      setSource('dataplane', false);
    }
    for (const i of instances) openGate(i); // a held instance starts when its hold expires, heartbeat or not
  }, Math.max(10, Math.floor(data.heartbeatMs / 2))).unref();
}

async function main(): Promise<void> {
  const byName = new Map(data.config.scripts.map((s) => [s.name, s]));
  for (const g of data.config.syncGroups) {
    const notify = new NotifyQueue(g.name, g, (command, code) => log('warning', `VRRP_Group(${g.name}) notify script '${command}' exited with ${code}`), undefined, 'GROUP');
    groups.set(g.name, { config: g, members: [], state: 'INIT', notify });
  }
  for (const inst of data.config.instances) {
    await startInstance(inst, byName);
  }
  for (const [name, s] of scripts) {
    s.onChange((ok) => {
      log('notice', `VRRP_Script(${name}) ${ok ? 'succeeded' : 'failed'}`);
      setSource(`script:${name}`, ok);
    });
    s.start();
  }
  post({ type: 'ready', instances: instances.length });
}

