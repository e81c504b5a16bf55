import type { FetchSpec } from './sample-fetches.js';
import type { SampleType } from '../policy-config.types.js';
import { parseNetwork } from './acl-patterns.js';

/**
 * Fetches of HAProxy 2.6's sections 7.3.2 (constants, internal states), 7.3.4 (client TLS) and 7.3.6 (more HTTP
 * samples) that `@tandem/policy`'s more-fetches.ts implements; merged into SAMPLE_FETCHES.
 */
const f = (base: string, type: SampleType, minArgs = 0, maxArgs = 0): FetchSpec => ({ base, type, minArgs, maxArgs });

export const MORE_FETCHES: ReadonlyArray<[string, FetchSpec]> = [
  ['str', f('str', 'str', 1, 1)],
  ['int', f('int', 'int', 1, 1)],
  ['ipv4', f('ipv4', 'ip', 1, 1)],
  ['ipv6', f('ipv6', 'ip', 1, 1)],
  ['bool', f('bool', 'bool', 1, 1)],
  ['cook_cnt', f('cook_cnt', 'int', 0, 1)],
  ['req.cook_cnt', f('cook_cnt', 'int', 0, 1)],
  ['cook_val', f('cook_val', 'int', 0, 1)],
  ['req.cook_val', f('cook_val', 'int', 0, 1)],
  ['res.cook_cnt', f('res.cook_cnt', 'int', 0, 1)],
  ['scook_cnt', f('res.cook_cnt', 'int', 0, 1)],
  ['res.cook_val', f('res.cook_val', 'int', 0, 1)],
  ['scook_val', f('res.cook_val', 'int', 0, 1)],
  ['urlp_val', f('urlp_val', 'int', 0, 2)],
  ['req.fhdr', f('req.fhdr', 'str', 0, 2)],
  ['req.fhdr_cnt', f('req.fhdr_cnt', 'int', 0, 1)],
  ['hdr_val', f('hdr_val', 'int', 0, 2)],
  ['req.hdr_val', f('hdr_val', 'int', 0, 2)],
  ['req.proto_http', f('req.proto_http', 'bool')],
  ['req_proto_http', f('req.proto_http', 'bool')],
  ['ssl_fc_protocol', f('ssl_fc_protocol', 'str')],
  ['ssl_fc_cipher', f('ssl_fc_cipher', 'str')],
  ['ssl_fc_alpn', f('ssl_fc_alpn', 'str')],
  ['ssl_fc_has_sni', f('ssl_fc_has_sni', 'bool')],
  ['ssl_c_used', f('ssl_c_used', 'bool')],
  ['connslots', f('connslots', 'int', 0, 1)],
  ['queue', f('queue', 'int', 0, 1)],
  ['avg_queue', f('avg_queue', 'int', 0, 1)],
  ['be_sess_rate', f('be_sess_rate', 'int', 0, 1)],
  ['fe_sess_rate', f('fe_sess_rate', 'int', 0, 1)],
  ['srv_is_up', f('srv_is_up', 'bool', 1, 1)],
];

/** Argument checks of these fetches (an error text or undefined). */
export function checkMoreFetchArgs(name: string, base: string, args: readonly string[]): string | undefined {
  const a = args[0] ?? '';
  switch (base) {
    case 'int':
      return /^[+-]?\d+$/.test(a) ? undefined : `fetch '${name}': '${a}' is not an integer`;
    case 'bool':
      return /^(0|1|true|false)$/i.test(a) ? undefined : `fetch '${name}': '${a}' is not a boolean (true, false, 1 or 0)`;
    case 'ipv4':
    case 'ipv6': {
      const r = parseNetwork(a);
      const v6 = a.includes(':');
      return typeof r === 'string' || a.includes('/') || v6 !== (base === 'ipv6') ? `fetch '${name}': '${a}' is not an ${base === 'ipv4' ? 'IPv4' : 'IPv6'} address` : undefined;
    }
    case 'hdr_val':
      return args[1] !== undefined && !/^-?\d+$/.test(args[1]) ? `fetch '${name}': occurrence '${args[1]}' is not an integer` : undefined;
    case 'srv_is_up':
      return a && !a.endsWith('/') ? undefined : `fetch '${name}' expects [<backend>/]<server>`;
  }
  return undefined;
}

/** Names HAProxy 2.6 does not have, with what to write instead (a config error, not "not implemented"). */
export const MISNAMED_FETCHES: Readonly<Record<string, string>> = {
  meth: "HAProxy has no fetch 'meth': write 'method'",
  path_beg_i: "HAProxy has no fetch 'path_beg_i': write 'path_beg -i <prefix>'",
};
