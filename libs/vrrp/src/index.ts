// Public API of @tandem/vrrp: pure core (wire codecs, instance state machine, effective priority, runner) and io/ ports.
export * from './wire/vrrp-constants.js';
export * from './wire/verdict.types.js';
export * from './wire/ip-address.js';
export * from './wire/checksum.js';
export type * from './wire/advertisement.types.js';
export {
  decode as decodeAdvertisement,
  encode as encodeAdvertisement,
  encodingLength as advertisementEncodingLength,
  passwordAuthData,
  type AdvertVerdict,
} from './wire/advertisement.codec.js';
export {
  decode as decodeIpv4Header,
  encode as encodeIpv4Header,
  encodingLength as ipv4HeaderEncodingLength,
  IPV4_MIN_HEADER_LENGTH,
  type Ipv4Header,
  type Ipv4HeaderInput,
  type Ipv4HeaderRejectReason,
  type Ipv4DecodeOptions,
} from './wire/ipv4-header.codec.js';
export * from './wire/arp.codec.js';
export type * from './instance.types.js';
export { transition, initialState, skewTimeMs, masterDownIntervalMs, handoverWaitMs } from './instance.fsm.js';
export * from './priority.js';
export { syncGroupDecide, syncGroupState, syncGroupNotify, type SyncMemberView, type SyncTrigger, type SyncCommand, type SyncDecision } from './sync-group.js';
export type * from './vrrp-transport.types.js';
export { classifyPacket, classifyIpv6Packet, ReceiveCounters, type PacketVerdict, type ReceiveExpect } from './receive.js';
export { InstanceRunner, buildAdvert, advertEvent, SINGLE_GARP, type GarpSchedule, type HandoverResult, type InstanceRunnerOptions, type RunnerEvent } from './instance-runner.js';
export { runnerSettingsFromKeepalived, type RunnerSettings } from './keepalived-instance.js';
// io/ (raw socket, `ip`, `arping`): the implementations of the ports above.
export { RawVrrpSocket, type RawVrrpSocketOptions } from './io/vrrp-socket.js';
export { IpCommandVipManager, execFileRunner, type CommandRunner } from './io/vip-manager.js';
export { ArpingGarp } from './io/garp.js';
export { SysfsLinkMonitor, linkIsUp, type SysfsReader } from './io/link-monitor.js';
export { RawVrrp6Socket, type RawVrrp6SocketOptions } from './io/vrrp6-socket.js';
export { UnsolicitedNaSender, AddressAnnouncer, isIpv6 } from './io/ndisc.js';
export { openIpv6RawSocket, type Ipv6RawSocket, type Ipv6Packet } from './io/ipv6-raw.js';
