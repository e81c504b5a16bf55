import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../haproxy/diagnostics.js';
import { parseKeepalivedConfig } from './parse-keepalived.js';

const errorsOf = (text: string) => {
  const result = parseKeepalivedConfig('k.conf', { read: () => Buffer.from(text), listDirectory: () => undefined });
  assert.equal(result.config, undefined, 'a configuration with errors yields no config');
  return result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
};

const instance = (body: string, name = 'VI_1') => `vrrp_instance ${name} {
    interface eth0
    virtual_router_id 51
${body}    virtual_ipaddress {
        10.10.10.1/24
    }
}
`;

test('an unknown keyword names file, line, keyword and the nearest known one', () => {
  assert.deepEqual(errorsOf(instance('    prority 110\n')), [
    "[ALERT]    (config) : parsing [k.conf:4] : 'prority': unknown keyword in 'vrrp_instance VI_1'; did you mean 'priority'?",
  ]);
  assert.deepEqual(errorsOf('vrrp_instanse VI_1 {\n}\n'), [
    "[ALERT]    (config) : parsing [k.conf:1] : 'vrrp_instanse': unknown keyword in 'top level'; did you mean 'vrrp_instance'?",
  ]);
  assert.deepEqual(errorsOf('virtual_server 10.0.0.1 80 {\n}\n'), [
    "[ALERT]    (config) : parsing [k.conf:1] : 'virtual_server': is a keepalived keyword Tandem does not support yet (LVS; HAProxy-style proxies replace it in Tandem); remove it or keep keepalived for this node",
  ]);
});

test('values are range-checked with messages that say what the value means', () => {
  assert.deepEqual(errorsOf(instance('    priority 0\n    state MASTR\n').replace('virtual_router_id 51', 'virtual_router_id 256')), [
    "[ALERT]    (config) : parsing [k.conf:3] : 'virtual_router_id': 256 is out of range; a virtual router id (RFC 5798 §5.2.3) is 1..255",
    "[ALERT]    (config) : parsing [k.conf:4] : 'priority': 0 is out of range; a priority (0 is reserved for a master that resigns, 255 for the address owner; RFC 5798 §5.2.4) is 1..255",
    "[ALERT]    (config) : parsing [k.conf:5] : 'state': unknown initial state 'MASTR' (expected MASTER or BACKUP); did you mean 'MASTER'?",
  ]);
  assert.deepEqual(errorsOf('vrrp_script s {\n    script "true"\n    weight -300\n    interval soon\n}\n'), [
    "[ALERT]    (config) : parsing [k.conf:3] : 'weight': -300 is out of range; a weight (added to the priority) is -253..253",
    "[ALERT]    (config) : parsing [k.conf:4] : 'interval': 'soon' is not a time in seconds (for example 2 or 0.5); the time between two runs of the script",
  ]);
});

test('track_script must name a defined vrrp_script', () => {
  assert.deepEqual(errorsOf(`vrrp_script chk_haproxy {\n    script "killall -0 haproxy"\n}\n${instance('    track_script {\n        chk_haproxx weight 10\n    }\n')}`), [
    "[ALERT]    (config) : parsing [k.conf:8] : 'track_script': 'chk_haproxx' is not a defined vrrp_script; did you mean 'chk_haproxy'?",
  ]);
});

test('sync group members must exist, once, in one group', () => {
  assert.deepEqual(errorsOf(`${instance('')}${instance('', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52')}vrrp_sync_group G1 {
    group {
        VI_1
        VI_3
    }
}
vrrp_sync_group G2 {
    group {
        VI_1 VI_2
    }
}
`), [
    "[ALERT]    (config) : parsing [k.conf:18] : 'group': 'VI_3' is not a defined vrrp_instance; did you mean 'VI_1'?",
    "[ALERT]    (config) : parsing [k.conf:23] : 'group': 'VI_1' is already in vrrp_sync_group G1; an instance belongs to one sync group at most",
  ]);
});

test('a malformed unicast block is an error, never a silent fall-back to multicast', () => {
  assert.deepEqual(errorsOf(instance('    unicast_peer 10.0.0.2\n')), [
    "[ALERT]    (config) : parsing [k.conf:4] : 'unicast_peer': expects a block of peer addresses, 'unicast_peer { 10.0.0.2 }', not '10.0.0.2' on the same line; Tandem refuses to fall back to multicast silently",
  ]);
  assert.deepEqual(errorsOf(instance('    unicast_peer {\n    }\n')), [
    "[ALERT]    (config) : parsing [k.conf:4] : 'unicast_peer': the block lists no peer; with no peer the instance would use multicast, remove unicast_peer for that",
  ]);
  assert.deepEqual(errorsOf(instance('    unicast_src_ip 10.0.0.1\n    unicast_peer {\n        10.0.0.2\n        lb2.example\n        10.0.0.3 min_ttl 1\n    }\n')), [
    "[ALERT]    (config) : parsing [k.conf:7] : 'unicast_peer': 'lb2.example' in unicast_peer is not an IP address (one peer address per line)",
    "[ALERT]    (config) : parsing [k.conf:8] : 'unicast_peer': peer option 'min_ttl' is not supported by Tandem yet",
  ]);
});

test('virtual_router_id is unique per interface (and address family)', () => {
  assert.deepEqual(errorsOf(`${instance('')}${instance('', 'VI_2')}`), [
    "[ALERT]    (config) : parsing [k.conf:10] : 'virtual_router_id': 51 is already used on eth0 by vrrp_instance VI_1 (k.conf:3); each virtual router on a link needs its own id (it selects the virtual MAC 00-00-5E-00-01-33)",
  ]);
  const ok = parseKeepalivedConfig('k.conf', { read: () => Buffer.from(`${instance('')}${instance('', 'VI_2').replace('eth0', 'eth1')}`), listDirectory: () => undefined });
  assert.ok(ok.config);
});

test('VRRPv2 with a sub-second advert_int names the fix', () => {
  assert.deepEqual(errorsOf(instance('    advert_int 0.5\n')), [
    "[ALERT]    (config) : parsing [k.conf:4] : 'advert_int': 0.5 s is not a whole number of seconds, which VRRPv2 requires (RFC 3768 §5.3.7); add 'vrrp_version 3' to global_defs (or 'version 3' to this instance) for sub-second adverts",
  ]);
  assert.deepEqual(errorsOf(instance('    version 3\n    advert_int 41\n')), [
    "[ALERT]    (config) : parsing [k.conf:5] : 'advert_int': 41 s is above VRRPv3's maximum of 40.95 s (RFC 5798 §5.2.7: 12 bits of centiseconds)",
  ]);
});

test('vrrp_strict refuses unicast and authentication', () => {
  assert.deepEqual(errorsOf(`global_defs {\n    vrrp_strict\n}\n${instance('    authentication {\n        auth_type PASS\n        auth_pass x\n    }\n    unicast_peer {\n        10.0.0.2\n    }\n')}`), [
    "[ALERT]    (config) : parsing [k.conf:7] : 'authentication': vrrp_strict forbids authentication (RFC 3768 deprecates it); remove the block or vrrp_strict",
    "[ALERT]    (config) : parsing [k.conf:11] : 'unicast_peer': vrrp_strict forbids unicast_peer (VRRP is multicast in RFC 5798); remove one of them",
  ]);
});

test('a file with many errors reports all of them, in line order', () => {
  const text = `global_defs {
    vrrp_versoin 3
}
vrrp_script chk {
    script "true"
    rise 0
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 0
    priority 300
    advert_int 1.5
    authentication {
        auth_type MD5
    }
    virtual_ipaddress {
        10.10.10.300/24
        10.10.10.2/33
        10.10.10.3 dve eth0
    }
    track_script {
        chk_missing
    }
}
vrrp_sync_group G {
    group {
        VI_9
    }
}
`;
  assert.deepEqual(errorsOf(text), [
    "[ALERT]    (config) : parsing [k.conf:2] : 'vrrp_versoin': unknown keyword in 'global_defs'; did you mean 'vrrp_version'?",
    "[ALERT]    (config) : parsing [k.conf:6] : 'rise': 0 is out of range; the number of successes in a row that make the script OK is 1..1000000",
    "[ALERT]    (config) : parsing [k.conf:11] : 'virtual_router_id': 0 is out of range; a virtual router id (RFC 5798 §5.2.3) is 1..255",
    "[ALERT]    (config) : parsing [k.conf:12] : 'priority': 300 is out of range; a priority (0 is reserved for a master that resigns, 255 for the address owner; RFC 5798 §5.2.4) is 1..255",
    "[ALERT]    (config) : parsing [k.conf:13] : 'advert_int': 1.5 s is not a whole number of seconds, which VRRPv2 requires (RFC 3768 §5.3.7); add 'vrrp_version 3' to global_defs (or 'version 3' to this instance) for sub-second adverts",
    "[ALERT]    (config) : parsing [k.conf:14] : 'authentication': the block needs both 'auth_type PASS|AH' and 'auth_pass SECRET' (missing auth_type)",
    "[ALERT]    (config) : parsing [k.conf:15] : 'auth_type': unknown authentication type 'MD5' (expected PASS or AH)",
    "[ALERT]    (config) : parsing [k.conf:18] : '10.10.10.300/24': '10.10.10.300/24' is not an IP address with an optional /prefix (for example 10.10.10.1/24)",
    "[ALERT]    (config) : parsing [k.conf:19] : '10.10.10.2/33': 33 is out of range; the prefix length of an IPv4 address is 0..32",
    "[ALERT]    (config) : parsing [k.conf:20] : '10.10.10.3': unknown virtual_ipaddress option 'dve' (supported: brd, dev, scope, label); did you mean 'dev'?",
    "[ALERT]    (config) : parsing [k.conf:23] : 'track_script': 'chk_missing' is not a defined vrrp_script",
    "[ALERT]    (config) : parsing [k.conf:28] : 'group': 'VI_9' is not a defined vrrp_instance; did you mean 'VI_1'?",
  ]);
});
