import type { DiagnosticSink } from '../haproxy/diagnostics.js';
import { nearest } from '../haproxy/suggest.js';
import type {
  KeepalivedConfig, VrrpInstanceConfig, VrrpScriptConfig, VrrpSyncGroupConfig, VrrpVersion,
} from './keepalived-config.types.js';
import { KEEPALIVED_DEFAULTS, type GlobalDefsDraft } from './global-defs.js';
import type { SyncGroupDraft } from './sync-group.js';
import type { VrrpInstanceDraft } from './vrrp-instance.js';
import type { VrrpScriptDraft } from './vrrp-script.js';
import { at, error, warning, type Scope } from './values.js';

export interface Drafts {
  readonly globalDefs: GlobalDefsDraft;
  readonly scripts: readonly VrrpScriptDraft[];
  readonly instances: readonly VrrpInstanceDraft[];
  readonly syncGroups: readonly SyncGroupDraft[];
  readonly files: readonly string[];
}

/** RFC 3768 §5.3.7: the VRRPv2 advertisement interval is an 8-bit count of seconds. */
const V2_MAX_ADVERT_S = 255;
/** RFC 5798 §5.2.7: the VRRPv3 maximum advertisement interval is a 12-bit count of centiseconds. */
const V3_MAX_ADVERT_CS = 4095;

const where = (s: { file: string; line: number }) => `${s.file}:${s.line}`;
const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/** Resolves defaults and the VRRP version, checks every cross-reference, and freezes the result. */
export function finalize(drafts: Drafts, sink: DiagnosticSink): KeepalivedConfig | undefined {
  const scope: Scope = { sink, label: 'keepalived.conf' };
  const g = drafts.globalDefs;

  const scripts = new Map<string, VrrpScriptConfig>();
  for (const d of drafts.scripts) {
    const first = scripts.get(d.name);
    if (first) {
      sink.error(d.source.file, d.source.line, 'vrrp_script', `'${d.name}' is defined twice (first at ${where(first.source)})`);
      continue;
    }
    if (d.script === undefined) continue;
    scripts.set(d.name, {
      name: d.name, script: d.script, intervalMs: d.intervalMs, timeoutMs: d.timeoutMs ?? d.intervalMs, weight: d.weight,
      weightReverse: d.weightReverse, rise: d.rise, fall: d.fall, initFail: d.initFail, source: d.source,
      ...(d.user ? { user: d.user } : {}),
    });
  }
  const scriptNames = [...new Set(drafts.scripts.map((d) => d.name))];

  const instances = new Map<string, VrrpInstanceConfig>();
  const draftsByName = new Map<string, VrrpInstanceDraft>();
  for (const d of drafts.instances) {
    const first = draftsByName.get(d.name);
    if (first) {
      error(scope, d.statement, `'${d.name}' is defined twice (first at ${where(first.statement)})`);
      continue;
    }
    draftsByName.set(d.name, d);
    const instance = finalizeInstance(d, g, scriptNames, scope);
    if (instance) instances.set(d.name, instance);
  }
  checkVirtualRouterIds(drafts.instances, scope);

  const groupOf = new Map<string, string>();
  const syncGroups: VrrpSyncGroupConfig[] = [];
  const groupNames = new Set<string>();
  for (const d of drafts.syncGroups) {
    if (groupNames.has(d.name)) {
      error(scope, d.statement, `'${d.name}' is defined twice`);
      continue;
    }
    groupNames.add(d.name);
    const members: string[] = [];
    for (const m of d.members) {
      if (!draftsByName.has(m.name)) {
        sink.error(m.statement.file, m.statement.line, 'group', `'${m.name}' is not a defined vrrp_instance`, nearest(m.name, draftsByName.keys()));
      } else if (members.includes(m.name)) {
        sink.error(m.statement.file, m.statement.line, 'group', `'${m.name}' is listed twice in vrrp_sync_group ${d.name}`);
      } else if (groupOf.has(m.name)) {
        sink.error(m.statement.file, m.statement.line, 'group', `'${m.name}' is already in vrrp_sync_group ${groupOf.get(m.name)}; an instance belongs to one sync group at most`);
      } else {
        members.push(m.name);
        groupOf.set(m.name, d.name);
      }
    }
    if (d.members.length === 1) warning(scope, d.statement, `'${d.name}' has a single instance; a sync group only matters with two or more`);
    const { name, statement, members: _, ...notify } = d;
    syncGroups.push({ name, members, source: at(statement), ...notify });
  }

  if (sink.hasErrors) return undefined;
  const globalDefs = { ...g, ...(g.source.line === 0 ? { source: { file: drafts.files[0] ?? '', line: 0 } } : {}) };
  return deepFreeze<KeepalivedConfig>({
    globalDefs,
    scripts: [...scripts.values()],
    instances: [...instances.values()].map((i) => (groupOf.has(i.name) ? { ...i, syncGroup: groupOf.get(i.name)! } : i)),
    syncGroups,
    files: [...drafts.files],
  });
}

function finalizeInstance(d: VrrpInstanceDraft, g: GlobalDefsDraft, scriptNames: readonly string[], scope: Scope): VrrpInstanceConfig | undefined {
  const s = d.statement;
  let ok = true;
  const version: VrrpVersion = d.version ?? g.vrrpVersion;
  const fix = "add 'vrrp_version 3' to global_defs (or 'version 3' to this instance)";

  if (d.interface === undefined) {
    error(scope, s, `'${d.name}' has no 'interface': the instance needs the interface its adverts go out on`);
    ok = false;
  }
  if (d.virtualRouterId === undefined) {
    if (!d.virtualRouterIdWritten) error(scope, s, `'${d.name}' has no 'virtual_router_id' (1..255, the same on every node of this virtual router)`);
    ok = false;
  }

  let advertIntervalMs: number = KEEPALIVED_DEFAULTS.advertIntervalMs;
  if (d.advertInt) {
    const { seconds, text, statement } = d.advertInt;
    if (version === 2) {
      if (!Number.isInteger(seconds)) {
        error(scope, statement, `${text} s is not a whole number of seconds, which VRRPv2 requires (RFC 3768 §5.3.7); ${fix} for sub-second adverts`);
        ok = false;
      } else if (seconds > V2_MAX_ADVERT_S) {
        error(scope, statement, `${text} s is above VRRPv2's maximum of ${V2_MAX_ADVERT_S} s (RFC 3768 §5.3.7)`);
        ok = false;
      } else advertIntervalMs = seconds * 1000;
    } else {
      const exact = seconds * 100;
      const centiseconds = Math.round(exact);
      if (centiseconds > V3_MAX_ADVERT_CS) {
        error(scope, statement, `${text} s is above VRRPv3's maximum of 40.95 s (RFC 5798 §5.2.7: 12 bits of centiseconds)`);
        ok = false;
      } else if (centiseconds < 1) {
        error(scope, statement, `${text} s is below VRRPv3's minimum of 0.01 s (RFC 5798 §5.2.7 counts centiseconds)`);
        ok = false;
      } else {
        if (Math.abs(exact - centiseconds) > 1e-6) warning(scope, statement, `${text} s is rounded to ${centiseconds / 100} s (VRRPv3 counts centiseconds), as keepalived does`);
        advertIntervalMs = centiseconds * 10;
      }
    }
  }

  let authentication: VrrpInstanceConfig['authentication'];
  if (d.authentication) {
    const a = d.authentication;
    if (version === 3) {
      warning(scope, a.statement, `VRRPv3 has no authentication (RFC 5798 removed it); keepalived ignores this block of '${d.name}', and so does Tandem`);
    } else if (g.vrrpStrict) {
      error(scope, a.statement, 'vrrp_strict forbids authentication (RFC 3768 deprecates it); remove the block or vrrp_strict');
      ok = false;
    } else if (a.type === undefined || a.pass === undefined) {
      error(scope, a.statement, `the block needs both 'auth_type PASS|AH' and 'auth_pass SECRET' (missing ${a.type === undefined ? 'auth_type' : 'auth_pass'})`);
      ok = false;
    } else authentication = { type: a.type, pass: a.pass };
  }

  const vips = d.virtualIpAddresses;
  const family = vips[0]?.family ?? d.unicastSrcIp?.family ?? 4;
  for (const vip of vips) {
    if (vip.family !== family) {
      scope.sink.error(vip.source.file, vip.source.line, vip.address, `an instance carries one address family: this address is IPv${vip.family} but the first is IPv${family} (line ${vips[0]!.source.line}); put it in a separate vrrp_instance`);
      ok = false;
    }
  }
  const firstV6 = vips.find((v) => v.family === 6);
  if (version === 2 && firstV6) {
    scope.sink.error(firstV6.source.file, firstV6.source.line, firstV6.address, `VRRPv2 carries IPv4 addresses only (RFC 3768); ${fix}`);
    ok = false;
  }
  if (vips.length === 0) {
    if (g.vrrpStrict) {
      error(scope, s, `'${d.name}' has no virtual_ipaddress, which vrrp_strict forbids`);
      ok = false;
    } else warning(scope, s, `'${d.name}' has no virtual_ipaddress: it elects a master but moves no address`);
  }

  if (d.unicastPeerStatement) {
    if (g.vrrpStrict) {
      error(scope, d.unicastPeerStatement, 'vrrp_strict forbids unicast_peer (VRRP is multicast in RFC 5798); remove one of them');
      ok = false;
    }
    for (const p of d.unicastPeers) {
      if (p.family !== family) {
        error(scope, d.unicastPeerStatement, `peer ${p.address} is IPv${p.family} but the instance's addresses are IPv${family}`);
        ok = false;
      }
    }
    if (d.unicastPeerStatement.block?.length === 0) ok = false;
  }
  if (d.unicastSrcIp) {
    if (d.unicastSrcIp.family !== family) {
      error(scope, d.unicastSrcIp.statement, `${d.unicastSrcIp.address} is IPv${d.unicastSrcIp.family} but the instance's addresses are IPv${family}`);
      ok = false;
    } else if (d.unicastPeers.length === 0 && !d.unicastPeerStatement) {
      warning(scope, d.unicastSrcIp.statement, 'without unicast_peer the adverts are multicast; this address only sets their source');
    }
  }

  for (const { ref, statement } of d.trackScripts) {
    if (!scriptNames.includes(ref.name)) {
      scope.sink.error(statement.file, statement.line, 'track_script', `'${ref.name}' is not a defined vrrp_script`, nearest(ref.name, scriptNames));
      ok = false;
    }
  }

  const initialState = d.initialState ?? 'BACKUP';
  if (d.nopreempt && initialState === 'MASTER') {
    warning(scope, d.nopreempt, `with 'state MASTER', '${d.name}' still takes over when it starts; use 'state BACKUP' on every node for non-preemptive failover`);
  }
  if (!ok) return undefined;
  const { notifyMaster, notifyBackup, notifyFault, notifyStop, notify } = d;
  return {
    name: d.name,
    initialState,
    interface: d.interface!,
    virtualRouterId: d.virtualRouterId!.value,
    priority: d.priority,
    advertIntervalMs,
    version,
    ...(authentication ? { authentication } : {}),
    virtualIpAddresses: vips,
    trackScripts: d.trackScripts.map((t) => t.ref),
    trackInterfaces: d.trackInterfaces,
    nopreempt: d.nopreempt !== undefined,
    preemptDelayMs: d.preemptDelayMs,
    garpMasterDelayMs: d.garpMasterDelayMs ?? g.vrrpGarpMasterDelayMs,
    garpMasterRepeat: d.garpMasterRepeat ?? g.vrrpGarpMasterRepeat,
    garpMasterRefreshMs: d.garpMasterRefreshMs ?? g.vrrpGarpMasterRefreshMs,
    garpMasterRefreshRepeat: d.garpMasterRefreshRepeat ?? g.vrrpGarpMasterRefreshRepeat,
    ...(d.unicastSrcIp ? { unicastSrcIp: d.unicastSrcIp.address } : {}),
    unicastPeers: d.unicastPeers,
    dontTrackPrimary: d.dontTrackPrimary,
    ...(notifyMaster !== undefined ? { notifyMaster } : {}),
    ...(notifyBackup !== undefined ? { notifyBackup } : {}),
    ...(notifyFault !== undefined ? { notifyFault } : {}),
    ...(notifyStop !== undefined ? { notifyStop } : {}),
    ...(notify !== undefined ? { notify } : {}),
    source: at(s),
  };
}

/**
 * Two virtual routers on one link with one id would share a virtual MAC (RFC 5798 §7.3: 00-00-5E-00-01-{VRID} for
 * IPv4, 00-00-5E-00-02-{VRID} for IPv6) and read each other's adverts. IPv4 and IPv6 routers may share an id.
 */
function checkVirtualRouterIds(instances: readonly VrrpInstanceDraft[], scope: Scope): void {
  const used = new Map<string, VrrpInstanceDraft>();
  for (const d of instances) {
    if (!d.virtualRouterId || d.interface === undefined) continue;
    const family = d.virtualIpAddresses[0]?.family ?? d.unicastSrcIp?.family ?? 4;
    const key = `${d.interface}/${family}/${d.virtualRouterId.value}`;
    const first = used.get(key);
    if (!first) {
      used.set(key, d);
      continue;
    }
    if (first.name === d.name) continue;
    const vrid = d.virtualRouterId.value;
    error(scope, d.virtualRouterId.statement, `${vrid} is already used on ${d.interface} by vrrp_instance ${first.name} (${where(first.virtualRouterId!.statement)}); each virtual router on a link needs its own id (it selects the virtual MAC 00-00-5E-00-0${family === 4 ? 1 : 2}-${hex(vrid)})`);
  }
}

/** The result is immutable all the way down (arrays and nested objects included). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
