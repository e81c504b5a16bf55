import type { Statement } from './lexer.js';
import type {
  TrackInterfaceRef, TrackScriptRef, UnicastPeer, VipScope, VirtualIpAddress, VrrpInitialState, VrrpNotifyScripts, VrrpVersion,
} from './keepalived-config.types.js';
import { KEEPALIVED_DEFAULTS } from './global-defs.js';
import { runSection, type KeywordSpec, type SectionTable } from './sections.js';
import { parseWeight } from './vrrp-script.js';
import { args, at, commandLine, error, integerIn, ipAddress, oneOf, parseSeconds, secondsIn, type Scope } from './values.js';
import { nearest } from '../haproxy/suggest.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** An instance as written; `validate.ts` resolves defaults, the VRRP version and cross-references. */
export interface VrrpInstanceDraft extends Mutable<VrrpNotifyScripts> {
  name: string;
  statement: Statement;
  initialState?: VrrpInitialState;
  interface?: string;
  virtualRouterId?: { value: number; statement: Statement };
  /** A virtual_router_id line was written (valid or not), so a missing id is not reported twice. */
  virtualRouterIdWritten?: boolean;
  priority: number;
  advertInt?: { seconds: number; text: string; statement: Statement };
  version?: VrrpVersion;
  authentication?: { type?: 'PASS' | 'AH'; pass?: string; statement: Statement };
  virtualIpAddresses: VirtualIpAddress[];
  trackScripts: { ref: TrackScriptRef; statement: Statement }[];
  trackInterfaces: TrackInterfaceRef[];
  nopreempt?: Statement;
  preemptDelayMs: number;
  garpMasterDelayMs?: number;
  garpMasterRepeat?: number;
  garpMasterRefreshMs?: number;
  garpMasterRefreshRepeat?: number;
  unicastSrcIp?: { address: string; family: 4 | 6; statement: Statement };
  unicastPeers: UnicastPeer[];
  unicastPeerStatement?: Statement;
  dontTrackPrimary: boolean;
}

/** RFC 3768 §5.3.11: the VRRPv2 authentication data is 8 octets. */
export const AUTH_PASS_MAX = 8;

const VIP_SCOPES: readonly VipScope[] = ['global', 'site', 'link', 'host', 'nowhere'];
const VIP_OPTIONS = ['brd', 'broadcast', 'dev', 'scope', 'label'];
const VIP_UNSUPPORTED = ['peer', 'no_track', 'home', 'nodad', 'noprefixroute', 'autojoin', 'preferred_lft', 'valid_lft', 'track_group'];

/** `<ip>[/<prefix>] [brd <ip>] [dev <if>] [scope <scope>] [label <label>]` (keepalived.conf(5), virtual_ipaddress). */
export function parseVip(s: Statement, scope: Scope): VirtualIpAddress | undefined {
  const [addressText, prefixText, extra] = s.keyword.split('/');
  const family = ipAddress(addressText!);
  if (!family || extra !== undefined) {
    error(scope, s, `'${s.keyword}' is not an IP address with an optional /prefix (for example 10.10.10.1/24)`);
    return undefined;
  }
  const maxPrefix = family === 4 ? 32 : 128;
  let prefixLength = maxPrefix;
  if (prefixText !== undefined) {
    const p = integerIn(scope, s, prefixText, 0, maxPrefix, `the prefix length of an IPv${family} address`);
    if (p === undefined) return undefined;
    prefixLength = p;
  }
  const vip: Mutable<VirtualIpAddress> = { address: addressText!, prefixLength, family, source: at(s) };
  const words = s.args.map((t) => t.text);
  let ok = true;
  for (let i = 0; i < words.length; i += 2) {
    const option = words[i]!;
    const value = words[i + 1];
    if (VIP_UNSUPPORTED.includes(option)) {
      error(scope, s, `virtual_ipaddress option '${option}' is not supported by Tandem yet (supported: brd, dev, scope, label)`, undefined, s.keyword);
      ok = false;
      break;
    }
    if (!VIP_OPTIONS.includes(option)) {
      error(scope, s, `unknown virtual_ipaddress option '${option}' (supported: brd, dev, scope, label)`, nearest(option, VIP_OPTIONS), s.keyword);
      ok = false;
      break;
    }
    if (value === undefined) {
      error(scope, s, `virtual_ipaddress option '${option}' expects a value`, undefined, s.keyword);
      ok = false;
      break;
    }
    if (option === 'brd' || option === 'broadcast') {
      if (ipAddress(value) !== family) {
        error(scope, s, `broadcast address '${value}' is not an IPv${family} address`, undefined, s.keyword);
        ok = false;
      } else vip.brd = value;
    } else if (option === 'dev') vip.dev = value;
    else if (option === 'label') vip.label = value;
    else {
      const sc = oneOf(scope, s, value, VIP_SCOPES, 'address scope');
      if (sc) vip.scope = sc;
      else ok = false;
    }
  }
  return ok ? vip : undefined;
}

/** `NAME [weight N [reverse]]`, the line of a track_script or track_interface block. */
function parseTrackLine(s: Statement, scope: Scope): { name: string; weight?: number; reverse: boolean } | undefined {
  const words = s.args.map((t) => t.text);
  if (words.length === 0) return { name: s.keyword, reverse: false };
  if (words[0] !== 'weight') {
    error(scope, s, `unexpected '${words[0]}' after '${s.keyword}' (expected 'weight N [reverse]')`);
    return undefined;
  }
  const w = parseWeight(scope, s, words.slice(1));
  return w && { name: s.keyword, weight: w.weight, reverse: w.reverse };
}

const notify = (key: keyof VrrpNotifyScripts): KeywordSpec<Mutable<VrrpNotifyScripts>> => ({
  once: true,
  run(s, d, scope) {
    if (s.args.length === 0) error(scope, s, 'expects the command to run, for example notify_master "/etc/keepalived/master.sh"');
    else d[key] = commandLine(s.args);
  },
});

/** The notify keywords, shared by vrrp_instance and vrrp_sync_group. */
export const NOTIFY_KEYWORDS: readonly [string, KeywordSpec<Mutable<VrrpNotifyScripts>>][] = [
  ['notify_master', notify('notifyMaster')],
  ['notify_backup', notify('notifyBackup')],
  ['notify_fault', notify('notifyFault')],
  ['notify_stop', notify('notifyStop')],
  ['notify', notify('notify')],
];

const optionalCount = (set: (d: VrrpInstanceDraft, n: number) => void, what: string): KeywordSpec<VrrpInstanceDraft> => ({
  once: true,
  run(s, d, scope) {
    const a = args(scope, s, 1, 1, `${s.keyword} COUNT`);
    const n = a && integerIn(scope, s, a[0]!, 1, 255, what);
    if (n !== undefined) set(d, n);
  },
});

const optionalSeconds = (set: (d: VrrpInstanceDraft, ms: number) => void, max: number, what: string): KeywordSpec<VrrpInstanceDraft> => ({
  once: true,
  run(s, d, scope) {
    const a = args(scope, s, 1, 1, `${s.keyword} SECONDS`);
    const ms = a && secondsIn(scope, s, a[0]!, 0, max, what);
    if (ms !== undefined) set(d, ms);
  },
});

const AUTHENTICATION: SectionTable<NonNullable<VrrpInstanceDraft['authentication']>> = {
  keywords: new Map<string, KeywordSpec<NonNullable<VrrpInstanceDraft['authentication']>>>([
    ['auth_type', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'auth_type PASS|AH');
        const type = a && oneOf(scope, s, a[0]!, ['PASS', 'AH'] as const, 'authentication type');
        if (type) d.type = type;
      },
    }],
    ['auth_pass', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'auth_pass PASSWORD');
        if (!a) return;
        if (a[0]!.length > AUTH_PASS_MAX) {
          scope.sink.warning(s.file, s.line, s.keyword, `the password is longer than ${AUTH_PASS_MAX} characters; only the first ${AUTH_PASS_MAX} are used, as keepalived does (the VRRPv2 authentication field holds 8 bytes)`);
        }
        d.pass = a[0]!.slice(0, AUTH_PASS_MAX);
      },
    }],
  ]),
};

const UNICAST_PEER_UNSUPPORTED = ['min_ttl', 'max_ttl'];

export const VRRP_INSTANCE: SectionTable<VrrpInstanceDraft> = {
  keywords: new Map<string, KeywordSpec<VrrpInstanceDraft>>([
    ['state', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'state MASTER|BACKUP');
        const v = a && oneOf(scope, s, a[0]!, ['MASTER', 'BACKUP'] as const, 'initial state');
        if (v) d.initialState = v;
      },
    }],
    ['interface', { once: true, run(s, d, scope) { const a = args(scope, s, 1, 1, 'interface NAME'); if (a) d.interface = a[0]!; } }],
    ['virtual_router_id', {
      once: true,
      run(s, d, scope) {
        d.virtualRouterIdWritten = true;
        const a = args(scope, s, 1, 1, 'virtual_router_id 1..255');
        const v = a && integerIn(scope, s, a[0]!, 1, 255, 'a virtual router id (RFC 5798 §5.2.3)');
        if (v !== undefined) d.virtualRouterId = { value: v, statement: s };
      },
    }],
    ['priority', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'priority 1..255');
        const v = a && integerIn(scope, s, a[0]!, 1, 255, 'a priority (0 is reserved for a master that resigns, 255 for the address owner; RFC 5798 §5.2.4)');
        if (v !== undefined) d.priority = v;
      },
    }],
    ['advert_int', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'advert_int SECONDS');
        if (!a) return;
        const seconds = parseSeconds(a[0]!);
        if (seconds === undefined || seconds <= 0) error(scope, s, `'${a[0]}' is not a positive time in seconds (for example 1, or 0.5 with VRRPv3)`);
        else d.advertInt = { seconds, text: a[0]!, statement: s };
      },
    }],
    ['version', {
      once: true,
      run(s, d, scope) {
        const a = args(scope, s, 1, 1, 'version 2|3');
        const v = a && integerIn(scope, s, a[0]!, 2, 3, 'the VRRP version (2: RFC 3768, 3: RFC 5798)');
        if (v !== undefined) d.version = v as VrrpVersion;
      },
    }],
    ['authentication', {
      block: 'required',
      once: true,
      run(s, d, scope) {
        if (!args(scope, s, 0, 0, 'authentication { auth_type PASS auth_pass SECRET }')) return;
        const auth: NonNullable<VrrpInstanceDraft['authentication']> = { statement: s };
        runSection(s.block ?? [], AUTHENTICATION, auth, { ...scope, label: `authentication of ${scope.label}` });
        d.authentication = auth;
      },
    }],
    ['virtual_ipaddress', {
      block: 'required',
      run(s, d, scope) {
        if (!args(scope, s, 0, 0, 'virtual_ipaddress { ADDRESS[/PREFIX] … }')) return;
        for (const line of s.block ?? []) {
          if (line.block) error(scope, line, 'an address line does not take a block');
          const vip = parseVip(line, scope);
          if (vip) d.virtualIpAddresses.push(vip);
        }
      },
    }],
    ['track_script', {
      block: 'required',
      run(s, d, scope) {
        if (!args(scope, s, 0, 0, 'track_script { NAME [weight N] … }')) return;
        for (const line of s.block ?? []) {
          const t = parseTrackLine(line, scope);
          if (t) d.trackScripts.push({ ref: t, statement: line });
        }
      },
    }],
    ['track_interface', {
      block: 'required',
      run(s, d, scope) {
        if (!args(scope, s, 0, 0, 'track_interface { NAME [weight N] … }')) return;
        for (const line of s.block ?? []) {
          const t = parseTrackLine(line, scope);
          if (t) d.trackInterfaces.push(t);
        }
      },
    }],
    ['nopreempt', { run(s, d, scope) { if (args(scope, s, 0, 0, 'nopreempt')) d.nopreempt = s; } }],
    ['preempt_delay', optionalSeconds((d, ms) => { d.preemptDelayMs = ms; }, 1000, 'how long a higher-priority backup waits before taking over')],
    ['garp_master_delay', optionalSeconds((d, ms) => { d.garpMasterDelayMs = ms; }, 255, 'the delay before the second burst of gratuitous ARPs after becoming master')],
    ['garp_master_repeat', optionalCount((d, n) => { d.garpMasterRepeat = n; }, 'the number of gratuitous ARPs per burst')],
    ['garp_master_refresh', optionalSeconds((d, ms) => { d.garpMasterRefreshMs = ms; }, 86400, 'the period of gratuitous ARP refreshes while master (0: none)')],
    ['garp_master_refresh_repeat', optionalCount((d, n) => { d.garpMasterRefreshRepeat = n; }, 'the number of gratuitous ARPs per refresh')],
    ...(NOTIFY_KEYWORDS as readonly [string, KeywordSpec<VrrpInstanceDraft>][]),
    ...['unicast_src_ip', 'mcast_src_ip'].map((k) => [k, {
      once: true,
      run(s: Statement, d: VrrpInstanceDraft, scope: Scope) {
        const a = args(scope, s, 1, 1, `${k} ADDRESS`);
        if (!a) return;
        const family = ipAddress(a[0]!);
        if (!family) error(scope, s, `'${a[0]}' is not an IP address`);
        else d.unicastSrcIp = { address: a[0]!, family, statement: s };
      },
    }] as [string, KeywordSpec<VrrpInstanceDraft>]),
    ['unicast_peer', {
      block: 'optional',
      run(s, d, scope) {
        if (!s.block) {
          error(scope, s, `expects a block of peer addresses, 'unicast_peer { 10.0.0.2 }'${s.args.length ? `, not '${s.args.map((t) => t.text).join(' ')}' on the same line` : ''}; Tandem refuses to fall back to multicast silently`);
          return;
        }
        d.unicastPeerStatement = s;
        if (s.args.length) error(scope, s, `unexpected '${s.args[0]!.text}' before the block; peers go inside 'unicast_peer { … }'`);
        if (s.block.length === 0) error(scope, s, 'the block lists no peer; with no peer the instance would use multicast, remove unicast_peer for that');
        for (const line of s.block) {
          const family = ipAddress(line.keyword);
          if (!family) {
            error(scope, line, `'${line.keyword}' in unicast_peer is not an IP address (one peer address per line)`, undefined, 'unicast_peer');
            continue;
          }
          const option = line.args[0]?.text;
          if (option !== undefined) {
            const why = UNICAST_PEER_UNSUPPORTED.includes(option) ? `peer option '${option}' is not supported by Tandem yet` : `unexpected '${option}' after peer ${line.keyword} (one peer address per line)`;
            error(scope, line, why, undefined, 'unicast_peer');
            continue;
          }
          if (d.unicastPeers.some((p) => p.address === line.keyword)) error(scope, line, `peer ${line.keyword} is listed twice`, undefined, 'unicast_peer');
          else d.unicastPeers.push({ address: line.keyword, family });
        }
      },
    }],
    ['dont_track_primary', { run(s, d, scope) { if (args(scope, s, 0, 0, 'dont_track_primary')) d.dontTrackPrimary = true; } }],
  ]),
  unsupported: new Map([
    ...['use_vmac', 'vmac_xmit_base', 'native_ipv6', 'virtual_ipaddress_excluded', 'virtual_routes', 'virtual_rules',
      'track_file', 'track_process', 'track_bfd', 'accept', 'no_accept', 'strict_mode', 'debug', 'notify_master_rx_lower_pri',
      'unicast_ttl', 'unicast_fault_no_peer', 'garp_lower_prio_delay', 'garp_lower_prio_repeat', 'lower_prio_no_advert',
      'higher_prio_send_advert', 'kernel_rx_buf_size', 'skip_check_adv_addr', 'old_unicast_checksum', 'check_unicast_src',
      'mcast_dst_ip', 'linkbeat_use_polling', 'notify_deleted', 'track_src_ip', 'preempt'].map((k) => [k, 'VRRP behaviour Tandem does not model'] as const),
    ['lvs_sync_daemon_interface', 'LVS is not part of Tandem'] as const,
  ]),
  ignored: new Map([['smtp_alert', 'Tandem sends no e-mail; use notify scripts or the event stream'] as const]),
};

export function parseVrrpInstance(s: Statement, scope: Scope): VrrpInstanceDraft | undefined {
  if (s.args.length !== 1) {
    error(scope, s, `expects one name: 'vrrp_instance NAME { … }' (got ${s.args.length} words)`);
    return undefined;
  }
  const draft: VrrpInstanceDraft = {
    name: s.args[0]!.text,
    statement: s,
    priority: KEEPALIVED_DEFAULTS.priority,
    virtualIpAddresses: [],
    trackScripts: [],
    trackInterfaces: [],
    preemptDelayMs: 0,
    unicastPeers: [],
    dontTrackPrimary: false,
  };
  runSection(s.block ?? [], VRRP_INSTANCE, draft, { ...scope, label: `vrrp_instance ${draft.name}` });
  return draft;
}
