import type { ConfigDiagnostic, SourceLocation } from '../runtime-config.types.js';

/**
 * keepalived's configuration language (keepalived.conf(5)) as a validated, deep-frozen snapshot.
 * Times are milliseconds; keepalived writes them as (fractional) seconds.
 */
export interface KeepalivedConfig {
  readonly globalDefs: KeepalivedGlobalDefs;
  readonly scripts: readonly VrrpScriptConfig[];
  readonly instances: readonly VrrpInstanceConfig[];
  readonly syncGroups: readonly VrrpSyncGroupConfig[];
  /** Every file read (main file first, then includes in the order they were read). */
  readonly files: readonly string[];
}

export type VrrpVersion = 2 | 3;

export interface KeepalivedGlobalDefs {
  readonly routerId?: string;
  /** `vrrp_version` (default 2). An instance's own `version` overrides it. */
  readonly vrrpVersion: VrrpVersion;
  /** `vrrp_strict`: keepalived refuses unicast, authentication and VIP-less instances. */
  readonly vrrpStrict: boolean;
  /** Gratuitous ARP/NA defaults for instances (`vrrp_garp_master_*`); instances may override them. */
  readonly vrrpGarpMasterDelayMs: number;
  readonly vrrpGarpMasterRepeat: number;
  /** 0: no periodic refresh once master. */
  readonly vrrpGarpMasterRefreshMs: number;
  readonly vrrpGarpMasterRefreshRepeat: number;
  /** Delay between the gratuitous ARPs of one burst (`vrrp_garp_interval`). */
  readonly vrrpGarpIntervalMs: number;
  /** Delay between the unsolicited NAs of one burst (`vrrp_gna_interval`). */
  readonly vrrpGnaIntervalMs: number;
  readonly enableScriptSecurity: boolean;
  /** `script_user USER [GROUP]`: who runs track and notify scripts. */
  readonly scriptUser?: ScriptUser;
  readonly source: SourceLocation;
}

export interface ScriptUser {
  readonly user: string;
  readonly group?: string;
}

/** `vrrp_script NAME { … }`: a command run every `intervalMs`; exit 0 is success. */
export interface VrrpScriptConfig {
  readonly name: string;
  readonly script: string;
  readonly intervalMs: number;
  /** keepalived's default: the interval. */
  readonly timeoutMs: number;
  /** -253..253. Positive: added to priority while the script succeeds; negative: added while it fails. 0: failure means FAULT. */
  readonly weight: number;
  /** `weight N reverse`: the sign meaning is swapped. */
  readonly weightReverse: boolean;
  readonly rise: number;
  readonly fall: number;
  /** `init_fail`: the script starts in the failed state. */
  readonly initFail: boolean;
  readonly user?: ScriptUser;
  readonly source: SourceLocation;
}

export type VrrpInitialState = 'MASTER' | 'BACKUP';

export interface VrrpAuthentication {
  readonly type: 'PASS' | 'AH';
  /** At most 8 characters (RFC 3768 §5.3.11's authentication data); longer passwords are truncated, as keepalived does. */
  readonly pass: string;
}

export type VipScope = 'global' | 'site' | 'link' | 'host' | 'nowhere';

/** One `virtual_ipaddress` line: `<ip>[/<prefix>] [brd <ip>] [dev <if>] [scope <scope>] [label <label>]`. */
export interface VirtualIpAddress {
  readonly address: string;
  /** /32 or /128 when omitted. */
  readonly prefixLength: number;
  readonly family: 4 | 6;
  readonly dev?: string;
  readonly label?: string;
  readonly brd?: string;
  readonly scope?: VipScope;
  readonly source: SourceLocation;
}

export interface TrackScriptRef {
  readonly name: string;
  /** Overrides the script's own weight. */
  readonly weight?: number;
  readonly reverse: boolean;
}

export interface TrackInterfaceRef {
  readonly name: string;
  /** Without a weight, the interface going down means FAULT. */
  readonly weight?: number;
  readonly reverse: boolean;
}

export interface UnicastPeer {
  readonly address: string;
  readonly family: 4 | 6;
}

export interface VrrpNotifyScripts {
  readonly notifyMaster?: string;
  readonly notifyBackup?: string;
  readonly notifyFault?: string;
  readonly notifyStop?: string;
  /** `notify`: called with type, name, state and priority as arguments. */
  readonly notify?: string;
}

/** `vrrp_instance NAME { … }`. */
export interface VrrpInstanceConfig extends VrrpNotifyScripts {
  readonly name: string;
  readonly initialState: VrrpInitialState;
  readonly interface: string;
  /** 1..255 (RFC 5798 §5.2.3). */
  readonly virtualRouterId: number;
  /** 1..255, default 100; 255 is the address owner (RFC 5798 §5.2.4). */
  readonly priority: number;
  /** v2: whole seconds 1..255; v3: centiseconds, 10 ms..40950 ms. Default 1000. */
  readonly advertIntervalMs: number;
  readonly version: VrrpVersion;
  /** Absent under VRRPv3 (RFC 5798 removed authentication; keepalived ignores it with a warning). */
  readonly authentication?: VrrpAuthentication;
  readonly virtualIpAddresses: readonly VirtualIpAddress[];
  readonly trackScripts: readonly TrackScriptRef[];
  readonly trackInterfaces: readonly TrackInterfaceRef[];
  readonly nopreempt: boolean;
  /** 0..1000 s, default 0. */
  readonly preemptDelayMs: number;
  readonly garpMasterDelayMs: number;
  readonly garpMasterRepeat: number;
  readonly garpMasterRefreshMs: number;
  readonly garpMasterRefreshRepeat: number;
  readonly unicastSrcIp?: string;
  /** Empty: multicast (224.0.0.18 / ff02::12). */
  readonly unicastPeers: readonly UnicastPeer[];
  /** `dont_track_primary`: the instance's own interface going down does not mean FAULT. */
  readonly dontTrackPrimary: boolean;
  /** Name of the sync group this instance belongs to, if any. */
  readonly syncGroup?: string;
  readonly source: SourceLocation;
}

/** `vrrp_sync_group NAME { group { A B } … }`: the members change state together. */
export interface VrrpSyncGroupConfig extends VrrpNotifyScripts {
  readonly name: string;
  readonly members: readonly string[];
  readonly source: SourceLocation;
}

export interface KeepalivedParseOptions {
  /** Maximum nesting of `include` (default 8), against include loops. */
  readonly maxIncludeDepth?: number;
}

export interface KeepalivedParseResult {
  /** Present when there is no error (warnings allowed). */
  readonly config?: KeepalivedConfig;
  readonly diagnostics: readonly ConfigDiagnostic[];
}
