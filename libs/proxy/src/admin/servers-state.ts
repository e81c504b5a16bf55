import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import { proxyIds, type ProxyRuntimes } from './proxy-view.js';

/**
 * `show servers state [<backend>]`, format version 1 (HAProxy 2.x, doc/management.txt "show servers state"): the
 * file `server-state-file` loads on start. Pure: runtimes in, text out. Space separated, one line per server.
 */
export const SERVERS_STATE_VERSION = 1;

export const SERVERS_STATE_FIELDS = [
  'be_id', 'be_name', 'srv_id', 'srv_name', 'srv_addr', 'srv_op_state', 'srv_admin_state', 'srv_uweight',
  'srv_iweight', 'srv_time_since_last_change', 'srv_check_status', 'srv_check_result', 'srv_check_health',
  'srv_check_state', 'srv_agent_state', 'bk_f_forced_id', 'srv_f_forced_id', 'srv_fqdn', 'srv_port', 'srvrecord',
  'srv_use_ssl', 'srv_check_port', 'srv_check_addr', 'srv_agent_addr', 'srv_agent_port',
] as const;

/** include/haproxy/server-t.h `enum srv_state`. */
const SRV_ST_STOPPED = 0;
const SRV_ST_RUNNING = 2;
/** include/haproxy/server-t.h `enum srv_admin`: forced maintenance, forced drain. */
const SRV_ADMF_FMAINT = 0x01;
const SRV_ADMF_FDRAIN = 0x08;
/** include/haproxy/check-t.h: CHK_ST_CONFIGURED | CHK_ST_ENABLED, and CHK_ST_PAUSED while in maintenance. */
const CHK_ST_CONFIGURED = 0x0002;
const CHK_ST_ENABLED = 0x0004;
const CHK_ST_PAUSED = 0x0008;

/** The whole answer: the version line, the header, then one line per server of `backends` (all when undefined). */
export function encodeServersState(runtimes: ProxyRuntimes, only?: BackendRuntime): string {
  const ids = proxyIds(runtimes);
  const lines = [`${SERVERS_STATE_VERSION}`, `# ${SERVERS_STATE_FIELDS.join(' ')}`];
  for (const be of only ? [only] : runtimes.backends) {
    const beId = ids.backend(be.config.name);
    for (const s of be.servers) lines.push(serverStateLine(beId, be, s));
  }
  return `${lines.join('\n')}\n`;
}

function serverStateLine(beId: number, be: BackendRuntime, s: ServerRuntime): string {
  const check = s.config.check;
  const checkState = check.enabled ? CHK_ST_CONFIGURED | CHK_ST_ENABLED | (s.state === 'maint' ? CHK_ST_PAUSED : 0) : 0;
  const agentState = check.agent ? CHK_ST_CONFIGURED | CHK_ST_ENABLED : 0;
  const fields: (string | number)[] = [
    beId,
    be.config.name,
    s.id,
    s.name,
    s.config.endpoint.host,
    s.state === 'up' || s.state === 'drain' ? SRV_ST_RUNNING : SRV_ST_STOPPED,
    s.state === 'maint' ? SRV_ADMF_FMAINT : s.state === 'drain' ? SRV_ADMF_FDRAIN : 0,
    s.weight,
    s.config.weight,
    // Not tracked yet: the time of the last state change (and the check status/result) belong to the health lib.
    0,
    0,
    0,
    check.enabled ? (s.state === 'down' ? 0 : check.rise + check.fall - 1) : 0,
    checkState,
    agentState,
    0,
    0,
    '-',
    s.config.endpoint.port,
    '-',
    s.config.ssl ? 1 : 0,
    check.port ?? 0,
    check.addr ?? '-',
    check.agent?.addr ?? '-',
    check.agent?.port ?? 0,
  ];
  return fields.join(' ');
}
