import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../haproxy/diagnostics.js';
import type { ConfigFilePort } from '../haproxy/parse-context.js';
import { parseKeepalivedConfig } from './parse-keepalived.js';

const port = (map: Record<string, string>): ConfigFilePort => ({
  read: (path) => (path in map ? Buffer.from(map[path]!) : new Error(`ENOENT: no such file or directory, open '${path}'`)),
  listDirectory: (dir) => {
    const inside = Object.keys(map).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'));
    return inside.length ? inside.sort() : undefined;
  },
});

const parse = (text: string, more: Record<string, string> = {}) => parseKeepalivedConfig('/etc/keepalived/keepalived.conf', port({ '/etc/keepalived/keepalived.conf': text, ...more }));
const messages = (text: string, more: Record<string, string> = {}) => parse(text, more).diagnostics.map((d) => formatDiagnostic(d).replace('/etc/keepalived/', ''));

/** The seed /work/shared/seeds/configs/13-keepalived-master.conf, verbatim. */
export const SEED_13 = `# "Keepalived HA for HAProxy Itself": /etc/keepalived/keepalived.conf on sw-infrarunbook-01 (MASTER).
# The BACKUP node is the same with "state BACKUP" and "priority 100".
vrrp_script chk_haproxy {
    script "killall -0 haproxy"
    interval 2
    weight -20
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 110
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass infraRunB00k!
    }
    virtual_ipaddress {
        10.10.10.1/24
    }
    track_script {
        chk_haproxy
    }
}
`;

test('seed 13 (MASTER) parses to the expected frozen values', () => {
  const result = parse(SEED_13);
  const config = result.config;
  assert.ok(config, JSON.stringify(result.diagnostics));
  const [script] = config.scripts;
  assert.deepEqual(
    { name: script!.name, script: script!.script, intervalMs: script!.intervalMs, timeoutMs: script!.timeoutMs, weight: script!.weight, rise: script!.rise, fall: script!.fall },
    { name: 'chk_haproxy', script: 'killall -0 haproxy', intervalMs: 2000, timeoutMs: 2000, weight: -20, rise: 1, fall: 1 },
  );
  const vi = config.instances[0]!;
  assert.equal(vi.name, 'VI_1');
  assert.equal(vi.initialState, 'MASTER');
  assert.equal(vi.interface, 'eth0');
  assert.equal(vi.virtualRouterId, 51);
  assert.equal(vi.priority, 110);
  assert.equal(vi.advertIntervalMs, 1000);
  assert.equal(vi.version, 2);
  assert.deepEqual(vi.authentication, { type: 'PASS', pass: 'infraRun' });
  assert.deepEqual(vi.virtualIpAddresses.map((v) => [v.address, v.prefixLength, v.family, v.dev]), [['10.10.10.1', 24, 4, undefined]]);
  assert.deepEqual(vi.trackScripts, [{ name: 'chk_haproxy', reverse: false }]);
  assert.equal(vi.nopreempt, false);
  assert.deepEqual(vi.unicastPeers, []);
  assert.equal(config.globalDefs.vrrpVersion, 2);
  assert.equal(config.globalDefs.vrrpGarpMasterDelayMs, 5000);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(vi) && Object.isFrozen(vi.virtualIpAddresses[0]) && Object.isFrozen(config.scripts));
  // keepalived truncates a long auth_pass and says so; so does Tandem (without echoing the secret).
  assert.deepEqual(messages(SEED_13), [
    "[WARNING]  (config) : parsing [keepalived.conf:17] : 'auth_pass': the password is longer than 8 characters; only the first 8 are used, as keepalived does (the VRRPv2 authentication field holds 8 bytes)",
  ]);
});

test('the BACKUP variant of seed 13', () => {
  const config = parse(SEED_13.replace('state MASTER', 'state BACKUP').replace('priority 110', 'priority 100')).config;
  assert.ok(config);
  assert.equal(config.instances[0]!.initialState, 'BACKUP');
  assert.equal(config.instances[0]!.priority, 100);
});

test('defaults: state BACKUP, priority 100, advert 1 s; global garp values flow into instances', () => {
  const config = parse(`global_defs {
  router_id lb1
  vrrp_garp_master_delay 1
  vrrp_garp_master_repeat 3
  vrrp_garp_interval 0.001
  enable_script_security
  script_user keepalived_script
}
vrrp_instance VI_2 {
  interface eth1
  virtual_router_id 7
  garp_master_repeat 2
  nopreempt
  preempt_delay 2.5
  virtual_ipaddress {
    192.168.1.10 dev eth1 label eth1:vip scope global brd 192.168.1.255
  }
  track_interface {
    eth2 weight -30
    eth3
  }
  notify_master "/usr/local/bin/notify.sh master"
  notify /usr/local/bin/notify-all.sh --verbose
}
`).config;
  assert.ok(config);
  const g = config.globalDefs;
  assert.deepEqual([g.routerId, g.vrrpGarpMasterDelayMs, g.vrrpGarpMasterRepeat, g.vrrpGarpIntervalMs, g.enableScriptSecurity, g.scriptUser], ['lb1', 1000, 3, 1, true, { user: 'keepalived_script' }]);
  const vi = config.instances[0]!;
  assert.deepEqual([vi.initialState, vi.priority, vi.advertIntervalMs, vi.garpMasterDelayMs, vi.garpMasterRepeat, vi.nopreempt, vi.preemptDelayMs], ['BACKUP', 100, 1000, 1000, 2, true, 2500]);
  assert.deepEqual({ ...vi.virtualIpAddresses[0], source: undefined }, { address: '192.168.1.10', prefixLength: 32, family: 4, dev: 'eth1', label: 'eth1:vip', scope: 'global', brd: '192.168.1.255', source: undefined });
  assert.deepEqual(vi.trackInterfaces, [{ name: 'eth2', weight: -30, reverse: false }, { name: 'eth3', reverse: false }]);
  assert.equal(vi.notifyMaster, '/usr/local/bin/notify.sh master');
  assert.equal(vi.notify, '/usr/local/bin/notify-all.sh --verbose');
});

test('VRRPv3 with advert_int 0.1; authentication is ignored with a warning, as keepalived does', () => {
  const result = parse(`global_defs {
  vrrp_version 3
}
${SEED_13.replace('advert_int 1', 'advert_int 0.1')}`);
  assert.ok(result.config, JSON.stringify(result.diagnostics));
  const vi = result.config.instances[0]!;
  assert.equal(vi.version, 3);
  assert.equal(vi.advertIntervalMs, 100);
  assert.equal(vi.authentication, undefined);
  assert.deepEqual(result.diagnostics.map((d) => `${d.line} ${d.keyword}: ${d.message}`), [
    "18 authentication: VRRPv3 has no authentication (RFC 5798 removed it); keepalived ignores this block of 'VI_1', and so does Tandem",
    '20 auth_pass: the password is longer than 8 characters; only the first 8 are used, as keepalived does (the VRRPv2 authentication field holds 8 bytes)',
  ]);
});

test('an instance may choose version 3 itself; IPv6 addresses need it', () => {
  const text = `vrrp_instance V6 {
  interface eth0
  virtual_router_id 9
  version 3
  advert_int 0.25
  virtual_ipaddress {
    2001:db8::1/64
  }
  unicast_src_ip 2001:db8::2
  unicast_peer {
    2001:db8::3
  }
}
`;
  const config = parse(text).config;
  assert.ok(config);
  assert.deepEqual([config.instances[0]!.version, config.instances[0]!.advertIntervalMs, config.instances[0]!.unicastSrcIp], [3, 250, '2001:db8::2']);
  assert.deepEqual(config.instances[0]!.unicastPeers, [{ address: '2001:db8::3', family: 6 }]);
  assert.deepEqual(messages(text.replace('  version 3\n  advert_int 0.25\n', '')), [
    "[ALERT]    (config) : parsing [keepalived.conf:5] : '2001:db8::1': VRRPv2 carries IPv4 addresses only (RFC 3768); add 'vrrp_version 3' to global_defs (or 'version 3' to this instance)",
  ]);
});

test('includes are read through the port, relative to the including file, globs in lexical order', () => {
  const result = parse('include conf.d/*.conf\ninclude /etc/keepalived/missing.conf\n', {
    '/etc/keepalived/conf.d/20-instance.conf': SEED_13.split('\n').slice(8).join('\n'),
    '/etc/keepalived/conf.d/10-script.conf': SEED_13.split('\n').slice(0, 8).join('\n'),
    '/etc/keepalived/conf.d/README': 'not a config',
  });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), [
    "[ALERT]    (config) : parsing [/etc/keepalived/keepalived.conf:2] : 'include': cannot read '/etc/keepalived/missing.conf': No such file or directory",
  ]);
  const ok = parse('include conf.d/*.conf\n', {
    '/etc/keepalived/conf.d/20-instance.conf': SEED_13.split('\n').slice(8).join('\n'),
    '/etc/keepalived/conf.d/10-script.conf': SEED_13.split('\n').slice(0, 8).join('\n'),
  });
  assert.ok(ok.config);
  assert.deepEqual(ok.config.files, ['/etc/keepalived/keepalived.conf', '/etc/keepalived/conf.d/10-script.conf', '/etc/keepalived/conf.d/20-instance.conf']);
  assert.equal(ok.config.instances[0]!.source.file, '/etc/keepalived/conf.d/20-instance.conf');
  assert.equal(ok.config.instances[0]!.source.line, 1);
  assert.deepEqual(messages('include keepalived.conf\n'), [
    "[ALERT]    (config) : parsing [keepalived.conf:1] : 'include': '/etc/keepalived/keepalived.conf' includes itself (include loop)",
  ]);
});
