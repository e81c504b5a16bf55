/**
 * A parsed keepalived `vrrp_instance` (from @tandem/config) as what the instance runner needs. Pure: the primary
 * address of the interface comes from the caller (it is read from the system in io/ or in the daemon).
 */
import type { VrrpInstanceConfig } from '@tandem/config';
import { passwordAuthData } from './wire/advertisement.codec.js';
import { VRRP_AUTH_NONE, VRRP_AUTH_PASS } from './wire/vrrp-constants.js';
import type { InstanceConfig } from './instance.types.js';
import type { VirtualIp } from './vrrp-transport.types.js';
import type { GarpSchedule } from './instance-runner.js';

export interface RunnerSettings {
  readonly config: InstanceConfig;
  readonly priority: number;
  readonly vips: readonly VirtualIp[];
  readonly auth?: { readonly type: number; readonly data: Uint8Array };
  /** The instance's `garp_master_*` (already defaulted from global_defs by @tandem/config). */
  readonly garpSchedule: GarpSchedule;
}

/** `garpIntervalMs`: global_defs `vrrp_garp_interval` (the delay between the GARPs of one burst). */
export function runnerSettingsFromKeepalived(inst: VrrpInstanceConfig, primaryAddress: string, garpIntervalMs = 0): RunnerSettings {
  const vips = inst.virtualIpAddresses
    .map((v) => ({ address: v.address, prefixLength: v.prefixLength, dev: v.dev ?? inst.interface, ...(v.label ? { label: v.label } : {}) }));
  const auth =
    inst.version === 2 && inst.authentication?.type === 'PASS'
      ? { type: VRRP_AUTH_PASS, data: passwordAuthData(inst.authentication.pass) }
      : inst.version === 2
        ? { type: VRRP_AUTH_NONE, data: new Uint8Array(8) }
        : undefined;
  return {
    config: {
      version: inst.version,
      vrid: inst.virtualRouterId,
      primaryAddress,
      advertIntervalCs: Math.round(inst.advertIntervalMs / 10),
      preempt: !inst.nopreempt,
      preemptDelayMs: inst.preemptDelayMs,
    },
    priority: inst.priority,
    vips,
    garpSchedule: {
      repeat: Math.max(1, inst.garpMasterRepeat),
      delayMs: inst.garpMasterDelayMs,
      refreshMs: inst.garpMasterRefreshMs,
      refreshRepeat: Math.max(1, inst.garpMasterRefreshRepeat),
      intervalMs: garpIntervalMs,
    },
    ...(auth ? { auth } : {}),
  };
}
