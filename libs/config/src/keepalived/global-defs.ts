import type { Statement } from './lexer.js';
import type { KeepalivedGlobalDefs, ScriptUser, VrrpVersion } from './keepalived-config.types.js';
import { runSection, type KeywordSpec, type SectionTable } from './sections.js';
import { args, at, integerIn, secondsIn, type Scope } from './values.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type GlobalDefsDraft = Mutable<KeepalivedGlobalDefs>;

/** keepalived's defaults (keepalived.conf(5), global_defs). */
export const KEEPALIVED_DEFAULTS = Object.freeze({
  vrrpVersion: 2 as VrrpVersion,
  garpMasterDelayMs: 5000,
  garpMasterRepeat: 5,
  garpMasterRefreshMs: 0,
  garpMasterRefreshRepeat: 1,
  garpIntervalMs: 0,
  gnaIntervalMs: 0,
  priority: 100,
  advertIntervalMs: 1000,
  scriptIntervalMs: 1000,
  scriptRise: 1,
  scriptFall: 1,
});

export function newGlobalDefs(file: string): GlobalDefsDraft {
  return {
    vrrpVersion: KEEPALIVED_DEFAULTS.vrrpVersion,
    vrrpStrict: false,
    vrrpGarpMasterDelayMs: KEEPALIVED_DEFAULTS.garpMasterDelayMs,
    vrrpGarpMasterRepeat: KEEPALIVED_DEFAULTS.garpMasterRepeat,
    vrrpGarpMasterRefreshMs: KEEPALIVED_DEFAULTS.garpMasterRefreshMs,
    vrrpGarpMasterRefreshRepeat: KEEPALIVED_DEFAULTS.garpMasterRefreshRepeat,
    vrrpGarpIntervalMs: KEEPALIVED_DEFAULTS.garpIntervalMs,
    vrrpGnaIntervalMs: KEEPALIVED_DEFAULTS.gnaIntervalMs,
    enableScriptSecurity: false,
    source: { file, line: 0 },
  };
}

/** `USER [GROUP]` of `script_user` and a vrrp_script's `user`. */
export function parseScriptUser(s: Statement, scope: Scope): ScriptUser | undefined {
  const a = args(scope, s, 1, 2, `${s.keyword} USER [GROUP]`);
  if (!a) return undefined;
  return a[1] === undefined ? { user: a[0]! } : { user: a[0]!, group: a[1] };
}

const flag = (set: (d: GlobalDefsDraft) => void): KeywordSpec<GlobalDefsDraft> => ({
  run(s, d, scope) {
    if (args(scope, s, 0, 0, s.keyword)) set(d);
  },
});

const seconds = (set: (d: GlobalDefsDraft, ms: number) => void, max: number, what: string): KeywordSpec<GlobalDefsDraft> => ({
  once: true,
  run(s, d, scope) {
    const a = args(scope, s, 1, 1, `${s.keyword} SECONDS`);
    const ms = a && secondsIn(scope, s, a[0]!, 0, max, what);
    if (ms !== undefined) set(d, ms);
  },
});

const count = (set: (d: GlobalDefsDraft, n: number) => void, min: number, max: number, what: string): KeywordSpec<GlobalDefsDraft> => ({
  once: true,
  run(s, d, scope) {
    const a = args(scope, s, 1, 1, `${s.keyword} COUNT`);
    const n = a && integerIn(scope, s, a[0]!, min, max, what);
    if (n !== undefined) set(d, n);
  },
});

export const GLOBAL_DEFS: SectionTable<GlobalDefsDraft> = {
  keywords: new Map<string, KeywordSpec<GlobalDefsDraft>>([
    ['router_id', { once: true, run(s, d, scope) { const a = args(scope, s, 1, 1, 'router_id NAME'); if (a) d.routerId = a[0]!; } }],
    ['vrrp_version', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'vrrp_version 2|3');
        const v = a && integerIn(scope, s, a[0]!, 2, 3, 'the VRRP version (2: RFC 3768, 3: RFC 5798)');
        if (v !== undefined) d.vrrpVersion = v as VrrpVersion;
      },
    }],
    ['vrrp_strict', flag((d) => { d.vrrpStrict = true; })],
    ['vrrp_garp_master_delay', seconds((d, ms) => { d.vrrpGarpMasterDelayMs = ms; }, 255, 'the delay before the second burst of gratuitous ARPs after becoming master')],
    ['vrrp_garp_master_repeat', count((d, n) => { d.vrrpGarpMasterRepeat = n; }, 1, 255, 'the number of gratuitous ARPs per burst')],
    ['vrrp_garp_master_refresh', seconds((d, ms) => { d.vrrpGarpMasterRefreshMs = ms; }, 86400, 'the period of gratuitous ARP refreshes while master (0: none)')],
    ['vrrp_garp_master_refresh_repeat', count((d, n) => { d.vrrpGarpMasterRefreshRepeat = n; }, 1, 255, 'the number of gratuitous ARPs per refresh')],
    ['vrrp_garp_interval', seconds((d, ms) => { d.vrrpGarpIntervalMs = ms; }, 1, 'the delay between gratuitous ARPs of one burst')],
    ['vrrp_gna_interval', seconds((d, ms) => { d.vrrpGnaIntervalMs = ms; }, 1, 'the delay between unsolicited neighbour advertisements of one burst')],
    ['enable_script_security', flag((d) => { d.enableScriptSecurity = true; })],
    ['script_user', { once: true, run(s, d, scope) { const u = parseScriptUser(s, scope); if (u) d.scriptUser = u; } }],
  ]),
  unsupported: new Map([
    ...['vrrp_mcast_group4', 'vrrp_mcast_group6', 'default_interface', 'vrrp_iptables', 'vrrp_ipsets', 'vrrp_nftables',
      'vrrp_check_unicast_src', 'vrrp_priority', 'vrrp_no_swap', 'vrrp_garp_lower_prio_delay', 'vrrp_garp_lower_prio_repeat',
      'vrrp_lower_prio_no_advert', 'vrrp_higher_prio_send_advert', 'vrrp_notify_fifo', 'vrrp_notify_fifo_script',
      'notify_fifo', 'notify_fifo_script', 'dynamic_interfaces', 'vrrp_startup_delay', 'vrrp_rx_bufs_policy',
      'vrrp_rx_bufs_multiplier', 'max_auto_priority', 'min_auto_priority_delay', 'net_namespace', 'instance',
      'use_pid_dir', 'linkbeat_use_polling', 'vrrp_netlink_cmd_rcv_bufs', 'vrrp_netlink_monitor_rcv_bufs',
      'vrrp_min_garp', 'vrrp_skip_check_adv_addr_strict', 'vrrp_track_process'].map((k) => [k, 'VRRP behaviour Tandem does not model'] as const),
    ...['lvs_id', 'lvs_sync_daemon', 'lvs_flush', 'lvs_flush_onstop', 'lvs_timeouts', 'checker_priority', 'checker_no_swap',
      'checker_rx_bufs_policy'].map((k) => [k, 'LVS is not part of Tandem; HAProxy-style proxies replace it'] as const),
  ]),
  ignored: new Map([
    ...['notification_email', 'notification_email_from', 'smtp_server', 'smtp_connect_timeout', 'smtp_helo_name', 'smtp_alert', 'smtp_alert_vrrp']
      .map((k) => [k, 'Tandem sends no e-mail; use notify scripts or the event stream'] as const),
    ['vrrp_skip_check_adv_addr', 'an optimisation of keepalived that does not change what Tandem accepts'] as const,
    ['enable_traps', 'Tandem has no SNMP agent'] as const,
  ]),
};

export function parseGlobalDefs(s: Statement, draft: GlobalDefsDraft, scope: Scope): void {
  if (draft.source.line === 0) draft.source = at(s);
  runSection(s.block ?? [], GLOBAL_DEFS, draft, { ...scope, label: 'global_defs' });
}
