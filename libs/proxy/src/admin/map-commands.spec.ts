import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ConfigFilePort } from '@tandem/config';
import { patternRefCommands } from './map-commands.js';

const FILES: Record<string, string> = { 'hosts.map': 'a.example be_a\nb.example be_b\n', 'blocked.acl': '192.0.2.1\n' };
const files: ConfigFilePort = { read: (p) => (FILES[p] !== undefined ? Buffer.from(FILES[p]!) : new Error('ENOENT')), listDirectory: () => undefined };

function setup() {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  http-request deny if { src -f blocked.acl }\n  use_backend %[req.hdr(host),lower,map(hosts.map,be)]\n  default_backend be\nbackend be\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 'h.cfg', text }], { files });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const refs = r.config.patternRefs!;
  const cmds = patternRefCommands({ patternRefs: () => refs });
  const run = async (line: string): Promise<string> => {
    const words = line.split(' ');
    const c = cmds.find((x) => x.words.every((w, i) => words[i] === w))!;
    try {
      return await c.run(words.slice(c.words.length));
    } catch (e) {
      return `ERR ${(e as Error).message}`;
    }
  };
  return { run, cmds };
}

test('show map lists the maps with their ids, then the entries as 0x<ref> <key> <value>', async () => {
  const { run } = setup();
  assert.equal(await run('show map'), "# id (file) description\n1 (hosts.map) pattern loaded from file 'hosts.map' used by map at file 'h.cfg' line 9. curr_ver=0 next_ver=0 entry_cnt=2\n");
  assert.equal(await run('show acl'), "# id (file) description\n0 (blocked.acl) pattern loaded from file 'blocked.acl' used by acl at file 'h.cfg' line 8. curr_ver=0 next_ver=0 entry_cnt=1\n");
  const lines = (await run('show map #1')).trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^0x[0-9a-f]+ a\.example be_a$/);
  assert.equal(await run('show map blocked.acl'), 'ERR Unknown map identifier. Please use #<id> or <file>.');
  assert.equal(await run('show map #7'), 'ERR Unknown map identifier. Please use #<id> or <file>.');
});

test('add, set (by key and by #ref), del, clear, get; HAProxy error texts; levels', async () => {
  const { run, cmds } = setup();
  assert.deepEqual(cmds.filter((c) => c.level === 'admin').map((c) => c.words.join(' ')).sort(), ['add acl', 'add map', 'clear acl', 'clear map', 'del acl', 'del map', 'set map']);
  assert.ok(cmds.filter((c) => c.words[0] === 'show' || c.words[0] === 'get').every((c) => c.level === 'operator'));
  assert.equal(await run('add map hosts.map c.example be_c'), '');
  assert.equal(await run('set map hosts.map a.example be_x'), '');
  assert.equal(await run('set map hosts.map zz.example be_x'), 'ERR Failed to update an entry.');
  assert.equal(await run('get map hosts.map c.example'), 'type=str, case=sensitive, found=yes, idx=tree, key="c.example", value="be_c", type="str"\n');
  assert.equal(await run('get map hosts.map nope'), 'type=str, case=sensitive, found=no\n');
  const ref = /^(0x[0-9a-f]+) b\.example/m.exec(await run('show map hosts.map'))![1]!;
  assert.equal(await run(`set map hosts.map #${ref} be_y`), '');
  assert.match(await run('show map hosts.map'), new RegExp(`^${ref} b\\.example be_y$`, 'm'));
  assert.equal(await run(`del map hosts.map #${ref}`), '');
  assert.equal(await run(`del map hosts.map #${ref}`), 'ERR Key not found.');
  assert.equal(await run('del map hosts.map #0xzz'), 'ERR Malformed identifier. Please use #<id> or <file>.');
  assert.equal(await run('add map hosts.map k'), "ERR 'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload");
  assert.equal(await run('add acl blocked.acl 10.0.0.0/8'), '');
  assert.match(await run('add acl blocked.acl bogus'), /^ERR 'bogus' is not an IPv4 or IPv6 address/);
  assert.equal(await run('get acl blocked.acl 10.2.3.4'), 'type=ip, case=sensitive, match=yes, idx=tree, pattern="10.0.0.0/8"\n');
  assert.equal(await run('del acl blocked.acl 192.0.2.1'), '');
  assert.equal(await run('clear map hosts.map'), '');
  assert.equal(await run('show map hosts.map'), '');
  assert.equal(await run('clear acl'), 'ERR Missing ACL identifier.');
  assert.match(await run('add map @1 hosts.map k v'), /^ERR Versions \(@<ver>/);
});
