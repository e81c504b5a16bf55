import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';
import type { ConfigFilePort } from './parse-context.js';

const files = (map: Record<string, string>): ConfigFilePort => ({
  read: (path) => (map[path] !== undefined ? Buffer.from(map[path]!, 'latin1') : new Error(`ENOENT: no such file '${path}'`)),
  listDirectory: () => undefined,
});
const BASE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nbackend b0\n  server s 127.0.0.1:1\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend b0\n';
const parse = (lines: string, fs: Record<string, string> = {}) => parseHaproxyConfig([{ file: 'p.cfg', text: BASE + lines }], { files: files(fs) });
const errors = (r: ReturnType<typeof parse>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

test('the fetches of 7.3.2/7.3.4/7.3.6 parse with their types; constants check their argument', () => {
  const r = parse([
    '  acl a str(x) x', '  acl b int(3) 3', '  acl c ipv4(10.0.0.1) 10.0.0.0/8', '  acl d ipv6(::1) ::1', '  acl e bool(true)',
    '  acl f cook_cnt(sid) gt 0', '  acl g cook_val(n) 5', '  acl h urlp_val(id) 1:9', '  acl i req.fhdr(ua) -m sub x', '  acl j hdr_val(content-length) gt 0',
    '  acl k req.proto_http', '  acl l ssl_fc_protocol TLSv1.3', '  acl m ssl_fc_cipher -m found', '  acl n ssl_fc_alpn h2', '  acl o ssl_fc_has_sni', '  acl p ssl_c_used',
    '  acl q connslots(b0) lt 5', '  acl s queue gt 10', '  acl t avg_queue(b0) gt 2', '  acl u srv_is_up(b0/s)', '  acl v be_sess_rate gt 100', '  acl w fe_sess_rate(fe) gt 100',
    '  use_backend b0 if a b c d e f g h i j k l m n o p q s t u v w', '',
  ].join('\n'));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const acls = r.config.frontends[0]!.policy!.acls;
  assert.equal(acls.get('b')!.terms[0]!.match, 'int');
  assert.equal(acls.get('c')!.terms[0]!.match, 'ip');
  assert.equal(acls.get('k')!.terms[0]!.match, 'bool');
  assert.equal(acls.get('l')!.terms[0]!.match, 'str');
  assert.deepEqual(errors(parse('  acl a int(x) 1\n')), ["fetch 'int': 'x' is not an integer"]);
  assert.match(errors(parse('  acl a ipv4(::1) 1.2.3.4\n'))[0]!, /not an IPv4 address/);
});

test('names HAProxy does not have are errors that say what to write; req.body is not scheduled', () => {
  assert.match(errors(parse('  acl a meth GET\n'))[0]!, /write 'method'/);
  assert.match(errors(parse('  acl a path_beg_i /x\n'))[0]!, /write 'path_beg -i/);
  assert.match(errors(parse('  acl a req.body -m found\n'))[0]!, /not implemented yet in Tandem \(not scheduled yet/);
});

test('the predefined ACLs HTTP, HTTP_1.0, HTTP_1.1, HTTP_CONTENT, REQ_CONTENT load; RDP_COOKIE is not scheduled', () => {
  const r = parse('  use_backend b0 if HTTP HTTP_1.1 || HTTP_1.0 || HTTP_CONTENT\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const alts = r.config.frontends[0]!.policy!.useBackend[0]!.condition!.alternatives;
  assert.equal((alts[0]![0]!.acl as unknown as { fetch: string }).fetch, 'req.proto_http');
  assert.deepEqual((alts[1]![0]!.acl as unknown as { values: string[] }).values, ['1.0']);
  assert.deepEqual((alts[2]![0]!.acl as unknown as { values: string[] }).values, ['gt', '0']);
  assert.match(errors(parse('  use_backend b0 if RDP_COOKIE\n'))[0]!, /not scheduled yet/);
});

test('converters: argument checks, variables as arguments, table converters, unscheduled ones refused', () => {
  const ok = parse('  acl a src,crc32(1),mod(txn.n) 0\n  acl b src,table_http_req_rate(fe) gt 10\n  acl c src,in_table(fe)\n  acl d path,sha2(512),hex -m len 128\n  acl e hdr(x),json_query($.a,int) 1\n  acl f path,set-var(txn.p),length gt 1\n  use_backend b0 if a b c d e f\n');
  assert.ok(ok.ok, JSON.stringify(ok.diagnostics));
  const acls = ok.config.frontends[0]!.policy!.acls;
  assert.equal(acls.get('c')!.terms[0]!.match, 'bool');
  assert.equal(acls.get('f')!.terms[0]!.match, 'int');
  assert.match(errors(parse('  acl a src,add(x) 1\n'))[0]!, /neither an integer nor a variable/);
  assert.match(errors(parse('  acl a path,digest(foo) x\n'))[0]!, /unknown digest algorithm 'foo'/);
  assert.match(errors(parse('  acl a path,sha2(100) x\n'))[0]!, /bits '100'/);
  assert.match(errors(parse('  acl a path,http_date(0,ns) x\n'))[0]!, /unit 'ns'/);
  assert.match(errors(parse('  acl a path,protobuf(1) x\n'))[0]!, /converter 'protobuf' is recognised but not implemented yet in Tandem \(not scheduled yet/);
  assert.match(errors(parse('  acl a path,jwt_verify(a,b) x\n'))[0]!, /not scheduled yet/);
});

test('map converters: every map_<match>[_int|_ip] of HAProxy 2.6, map_regm; no map_<m>_str', () => {
  const fs = { '/m': '^/(a+)/ x\\1y\n', '/i': '10.0.0.0/8 1\n' };
  for (const name of ['map_str', 'map_beg', 'map_sub', 'map_dir', 'map_dom', 'map_end', 'map_reg', 'map_regm', 'map_beg_int', 'map_reg_ip']) {
    const r = parse(`  acl a path,${name}(${name.endsWith('_int') ? '/i' : name.endsWith('_ip') ? '/i' : '/m'}) -m found\n  use_backend b0 if a\n`, { ...fs, '/i': name.endsWith('_ip') ? 'k 10.0.0.1\n' : 'k 1\n' });
    assert.ok(r.ok, `${name}: ${JSON.stringify(r.diagnostics)}`);
  }
  assert.match(errors(parse('  acl a path,map_str_str(/m) x\n', fs))[0]!, /unknown converter 'map_str_str'.*write 'map_str'/);
  assert.match(errors(parse('  acl a path,map_regm_int(/m) x\n', fs))[0]!, /unknown converter 'map_regm_int'/);
});
