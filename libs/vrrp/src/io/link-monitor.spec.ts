import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SysfsLinkMonitor, linkIsUp, type SysfsReader } from './link-monitor.js';

function sysfs(files: Record<string, string>): SysfsReader {
  return (path) => {
    const v = files[path];
    if (v === undefined) throw Object.assign(new Error(`EINVAL ${path}`), { code: 'EINVAL' });
    return v;
  };
}

test('linkIsUp: operstate up/unknown with carrier 1 is up; down, lowerlayerdown, no carrier, missing, bad names are down', () => {
  const up = sysfs({ '/sys/class/net/eth0/operstate': 'up\n', '/sys/class/net/eth0/carrier': '1\n' });
  assert.equal(linkIsUp('eth0', up), true);
  assert.equal(linkIsUp('lo', sysfs({ '/sys/class/net/lo/operstate': 'unknown\n', '/sys/class/net/lo/carrier': '1\n' })), true);
  // Administratively down: carrier cannot be read (EINVAL).
  assert.equal(linkIsUp('eth0', sysfs({ '/sys/class/net/eth0/operstate': 'down\n' })), false);
  assert.equal(linkIsUp('eth0', sysfs({ '/sys/class/net/eth0/operstate': 'lowerlayerdown\n', '/sys/class/net/eth0/carrier': '0\n' })), false);
  assert.equal(linkIsUp('eth0', sysfs({ '/sys/class/net/eth0/operstate': 'up\n', '/sys/class/net/eth0/carrier': '0\n' })), false);
  assert.equal(linkIsUp('eth9', up), false);
  for (const bad of ['../eth0', '.', '..', 'a/b', 'x'.repeat(16)]) assert.equal(linkIsUp(bad, up), false, bad);
});

test('SysfsLinkMonitor reports changes only, per interface', () => {
  const files: Record<string, string> = { '/sys/class/net/eth0/operstate': 'up', '/sys/class/net/eth0/carrier': '1' };
  const mon = new SysfsLinkMonitor(50, sysfs(files));
  const seen: boolean[] = [];
  const off = mon.watch('eth0', (u) => seen.push(u));
  mon.poll();
  assert.deepEqual(seen, []);
  files['/sys/class/net/eth0/operstate'] = 'down';
  mon.poll();
  mon.poll();
  files['/sys/class/net/eth0/operstate'] = 'up';
  mon.poll();
  assert.deepEqual(seen, [false, true]);
  off();
  mon.close();
});
