// Scenario: runtime maps and ACL pattern files (issue #6), as operators drive them. One tandemd, three stub
// servers, an admin and an operator stats socket, driven with Debian's socat:
// - `use_backend %[req.hdr(host),lower,map(hosts.map,be_default)]` re-routed live by `add map`, `set map` (by key
//   and by `#<ref>`), `del map`; `show map` answers HAProxy's list (`# id (file) description`) and entries;
// - an IP blocklist `http-request deny if { src -f blocked.acl }` extended by `add acl` and by the rule
//   `http-request add-acl(blocked.acl) %[src] if { path /ban-me }`, shrunk by `del acl`/`clear acl`;
// - levels: the operator socket reads (`show map`), only admin writes; a reload reads the files again (the
//   runtime changes are forgotten, as HAProxy forgets them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bootTandemd, freePort, hasProgram, parseResponse, rawExchange, runCommand, startHttpStub, stopScenario, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

describe('runtime maps and ACL files: add/set/del map, add acl, add-acl action, show map', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  const operSocket = join(dir.path, 'oper.sock');
  let daemon: TandemdProcess;
  let stubs: StubBackend[] = [];
  let port = 0;
  let socat = false;
  let hostsMap = '';
  let blockedAcl = '';

  /** One command line through socat, as an operator types it; the answer without the trailing empty line. */
  const cli = async (line: string, socket = adminSocket) => {
    const { stdout, code } = await runCommand('socat', ['stdio', `unix-connect:${socket}`], { input: `${line}\n`, timeoutMs: 10_000 });
    assert.equal(code, 0);
    assert.ok(stdout.endsWith('\n'), `answer ends with an empty line: ${JSON.stringify(stdout)}`);
    return stdout.slice(0, -1);
  };
  const get = async (host: string, path = '/') => parseResponse(await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, { idleMs: 5_000 }));
  const servedBy = async (host: string) => (await get(host)).body;

  before(async () => {
    socat = await hasProgram('socat');
    stubs = await Promise.all(['default', 'a', 'b'].map(startHttpStub));
    port = await freePort();
    hostsMap = dir.file('hosts.map', '# host backend\na.example be_a\n');
    blockedAcl = dir.file('blocked.acl', '# blocked clients\n192.0.2.1\n');
    const config = `global
    stats socket ${adminSocket} level admin
    stats socket ${operSocket} level operator
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:${port}
    http-request add-acl(${blockedAcl}) %[src] if { path /ban-me }
    http-request deny if { src -f ${blockedAcl} }
    use_backend %[req.hdr(host),lower,map(${hostsMap},be_default)]
backend be_default
    server s 127.0.0.1:${stubs[0]!.port}
backend be_a
    server s 127.0.0.1:${stubs[1]!.port}
backend be_b
    server s 127.0.0.1:${stubs[2]!.port}
`;
    daemon = await bootTandemd(dir, config);
  });

  after(() => stopScenario(daemon, stubs, dir));

  test('show map: the list of loaded maps with ids, then the entries as 0x<ref> <key> <value>', async (t) => {
    if (!socat) return t.skip("socat is not installed (scripts/test.sh installs Debian's socat as root)");
    const list = await cli('show map');
    assert.match(list, new RegExp(`^# id \\(file\\) description\\n1 \\(${hostsMap.replace(/[.]/g, '\\.')}\\) pattern loaded from file '${hostsMap.replace(/[.]/g, '\\.')}' used by map at file '[^']+' line 13\\. curr_ver=0 next_ver=0 entry_cnt=1\\n$`));
    assert.match(await cli('show acl'), new RegExp(`^# id \\(file\\) description\\n0 \\(${blockedAcl.replace(/[.]/g, '\\.')}\\) .* entry_cnt=1\\n$`));
    assert.match(await cli('show map #1'), /^0x[0-9a-f]+ a\.example be_a\n$/);
    assert.equal(await cli('show map #1', operSocket), await cli('show map #1'), 'the operator level reads');
    assert.equal(await cli('add map #1 x y', operSocket), 'Permission denied\n');
    assert.equal(await cli('show map nosuch.map'), 'Unknown map identifier. Please use #<id> or <file>.\n');
  });

  test('use_backend through a map is re-routed live by add map, set map and del map', async (t) => {
    if (!socat) return t.skip('socat is not installed');
    assert.equal(await servedBy('A.example'), 'a');
    assert.equal(await servedBy('b.example'), 'default');
    assert.equal(await cli(`add map ${hostsMap} b.example be_b`), '');
    assert.equal(await servedBy('b.example'), 'b');
    assert.equal(await cli(`set map ${hostsMap} a.example be_b`), '');
    assert.equal(await servedBy('a.example'), 'b');
    const ref = /^(0x[0-9a-f]+) a\.example be_b$/m.exec(await cli('show map #1'))![1]!;
    assert.equal(await cli(`set map #1 #${ref} be_a`), '');
    assert.equal(await servedBy('a.example'), 'a');
    assert.match(await cli('get map #1 b.example'), /^type=str, case=sensitive, found=yes, idx=tree, key="b\.example", value="be_b", type="str"\n$/);
    assert.equal(await cli(`del map ${hostsMap} b.example`), '');
    assert.equal(await servedBy('b.example'), 'default');
    assert.equal(await cli(`del map ${hostsMap} b.example`), 'Key not found.\n');
  });

  test('an IP blocklist from a file, extended by add acl and by the add-acl action; del acl and clear acl', async (t) => {
    if (!socat) return t.skip('socat is not installed');
    assert.equal((await get('a.example')).status, 200);
    assert.equal(await cli(`add acl ${blockedAcl} 127.0.0.0/8`), '');
    assert.equal((await get('a.example')).status, 403, 'the client (127.0.0.1) is now blocked');
    assert.equal(await cli(`del acl ${blockedAcl} 127.0.0.0/8`), '');
    assert.equal((await get('a.example')).status, 200);
    assert.match(await cli(`add acl ${blockedAcl} not-an-address`), /is not an IPv4 or IPv6 address/);

    // The rule adds the client's address, and the deny rule after it already sees it.
    assert.equal((await get('a.example', '/ban-me')).status, 403);
    assert.equal((await get('a.example', '/')).status, 403);
    assert.match(await cli('show acl #0'), /^0x[0-9a-f]+ 192\.0\.2\.1\n0x[0-9a-f]+ 127\.0\.0\.1\n$/);
    assert.equal(await cli('clear acl #0'), '');
    assert.equal((await get('a.example')).status, 200);
    assert.equal(await cli('show acl #0'), '');
  });

  test('a reload reads the files again: runtime changes are forgotten (HAProxy)', async (t) => {
    if (!socat) return t.skip('socat is not installed');
    assert.equal(await cli(`add map ${hostsMap} b.example be_b`), '');
    assert.equal(await servedBy('b.example'), 'b');
    const mark = daemon.log.length;
    daemon.signal('SIGHUP');
    await daemon.waitFor(/Reload complete|Configuration applied/, 10_000, mark);
    assert.equal(await servedBy('b.example'), 'default');
    assert.match(await cli('show acl #0'), /^0x[0-9a-f]+ 192\.0\.2\.1\n$/, 'the cleared ACL file is back');
  });
});
