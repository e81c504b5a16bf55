import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from './diagnostics.js';
import { parseHaproxyConfig } from './parse-haproxy.js';
import type { ConfigFilePort } from './parse-context.js';

const files = (map: Record<string, string>): ConfigFilePort => ({
  read: (path) => (path in map ? Buffer.from(map[path]!) : new Error('ENOENT')),
  listDirectory: () => undefined,
});

const BASE = `global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    option forwardfor
    option http-server-close
    retries 3
frontend fe
    bind 127.0.0.1:8080
    bind [::1]:8080
    default_backend be
backend be
    balance roundrobin
    option redispatch
    server s1 127.0.0.1:9001 weight 1
    server s2 127.0.0.1:9002 weight 2 maxconn 50
`;

test('a valid configuration becomes a frozen RuntimeConfig with defaults copied into each proxy', () => {
  const result = parseHaproxyConfig([{ file: 'a.cfg', text: BASE }]);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  if (!result.ok) return;
  const { config } = result;
  assert.equal(config.global.maxconn, 2000);
  const fe = config.frontends[0]!;
  assert.equal(fe.mode, 'http');
  assert.equal(fe.binds.length, 2);
  assert.equal(fe.timeouts.client, 30_000);
  assert.deepEqual(fe.forwardFor, { header: 'X-Forwarded-For', ifNone: false });
  assert.equal(fe.httpConnectionMode, 'server-close');
  const be = config.backends[0]!;
  assert.equal(be.redispatch, true);
  assert.equal(be.retries, 3);
  assert.equal(be.httpReuse, 'safe');
  assert.deepEqual(be.servers.map((s) => [s.name, s.id, s.weight, s.maxconn]), [['s1', 1, 1, undefined], ['s2', 2, 2, 50]]);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(be.servers[0]) && Object.isFrozen(fe.binds));
  assert.throws(() => (fe.errorFiles as Map<number, Buffer>).set(503, Buffer.alloc(0)));
});

test('every error of every file is reported at once, with file, line, keyword and a suggestion', () => {
  const result = parseHaproxyConfig([
    { file: 'a.cfg', text: BASE.replace('balance roundrobin', 'balance roundrobn').replace('retries 3', 'retires 3') },
    { file: 'b.cfg', text: 'backend other\n    servr s 127.0.0.1:1\n    timeout clinet 5s\n' },
  ]);
  assert.equal(result.ok, false);
  const lines = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  assert.deepEqual(lines, [
    "[ALERT]    (config) : parsing [a.cfg:10] : 'retires': unknown keyword in 'defaults' section; did you mean 'retries'?",
    "[ALERT]    (config) : parsing [a.cfg:16] : 'balance': unknown balancing algorithm 'roundrobn'; did you mean 'roundrobin'?",
    "[ALERT]    (config) : parsing [b.cfg:2] : 'servr': unknown keyword in 'backend' section; did you mean 'server'?",
    "[ALERT]    (config) : parsing [b.cfg:3] : 'timeout clinet': unknown timeout 'clinet' in 'backend' section; did you mean 'timeout client'?",
  ]);
});

test('a keyword of a later issue is an error that names the issue, never silently ignored', () => {
  const result = parseHaproxyConfig([{ file: 'a.cfg', text: `${BASE}    http-check disable-on-404\n    http-request set-nice 1\n` }]);
  assert.equal(result.ok, false);
  const messages = result.diagnostics.map((d) => `${d.keyword}: ${d.message}`);
  assert.ok(messages.some((m) => /^http-check: is recognised but not implemented yet in Tandem \(not scheduled yet/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^http-request set-nice: action 'set-nice' is recognised but not implemented yet in Tandem \(not scheduled yet/.test(m)), messages.join('\n'));
});

test('cross-section checks: missing default_backend, mode mismatch, no bind, duplicate names', () => {
  const result = parseHaproxyConfig([{ file: 'c.cfg', text: `defaults
    mode http
    timeout client 1s
    timeout server 1s
    timeout connect 1s
frontend f1
    default_backend nowhere
frontend f2
    bind :81
    default_backend tcpb
backend tcpb
    mode tcp
    server a 127.0.0.1:1
    server a 127.0.0.1:2
` }]);
  assert.equal(result.ok, false);
  const messages = result.diagnostics.map((d) => d.message);
  assert.ok(messages.includes("Proxy 'f1' has no 'bind' directive."));
  assert.ok(messages.includes("Proxy 'f1': unable to find required default_backend: 'nowhere'."));
  assert.ok(messages.includes("Proxy 'f2' (mode http) cannot use backend 'tcpb' (mode tcp)."));
  assert.ok(messages.includes("duplicate server name 'a' in 'tcpb'"));
});

test('named defaults, listen sections, default-server and no option', () => {
  const result = parseHaproxyConfig([{ file: 'd.cfg', text: `defaults web
    mode http
    timeout client 10s
    timeout server 10s
    timeout connect 1s
    option redispatch
    option allbackups
defaults
    mode tcp
listen app from web
    bind 127.0.0.1:7000
    no option redispatch
    default-server weight 5 maxconn 10
    server a 127.0.0.1:7001
    server b 127.0.0.1:7002 weight 1 id 7
` }]);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  if (!result.ok) return;
  const fe = result.config.frontends[0]!;
  const be = result.config.backends[0]!;
  assert.equal(fe.mode, 'http');
  assert.equal(fe.defaultBackend, 'app', 'a listen section serves its own servers');
  assert.equal(be.redispatch, false);
  assert.equal(be.allBackups, true, 'inherited from the named defaults');
  assert.deepEqual(be.servers.map((s) => [s.name, s.id, s.weight, s.maxconn]), [['a', 1, 5, 10], ['b', 7, 1, 10]]);
});

test('bind ssl reads the PEM at load; a missing file is an error with its line; TLS floor from no-tlsv1x', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n';
  const text = `${BASE}frontend tls\n    bind 127.0.0.1:8443 ssl crt /c.pem no-sslv3 no-tlsv10 no-tlsv11 alpn h2,http/1.1 ciphers ECDHE-RSA-AES256-GCM-SHA384\n    default_backend be\n`;
  const ok = parseHaproxyConfig([{ file: 'e.cfg', text }], { files: files({ '/c.pem': pem }) });
  assert.equal(ok.ok, true, JSON.stringify(ok.diagnostics));
  if (ok.ok) {
    const tls = ok.config.frontends[1]!.binds[0]!.tls!;
    assert.equal(tls.minVersion, 'TLSv1.2');
    assert.deepEqual(tls.alpn, ['h2', 'http/1.1']);
    assert.equal(tls.pems[0]!.toString(), pem);
  }
  const missing = parseHaproxyConfig([{ file: 'e.cfg', text }], { files: files({}) });
  assert.equal(missing.ok, false);
  assert.deepEqual(missing.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.keyword]), [[21, 'bind']]);
});

test('chroot is accepted with a warning that says why; nbthread above 1 and nbproc are errors', () => {
  const warned = parseHaproxyConfig([{ file: 'g.cfg', text: `global\n    chroot /var/lib/haproxy\n${BASE.replace('global\n', '')}` }]);
  assert.equal(warned.ok, true);
  assert.match(warned.diagnostics.find((d) => d.keyword === 'chroot')!.message, /does not chroot/);
  const failed = parseHaproxyConfig([{ file: 'g.cfg', text: 'global\n    nbthread 4\n    nbproc 2\n' }]);
  assert.deepEqual(failed.diagnostics.map((d) => d.keyword), ['nbthread', 'nbproc']);
});

test('health checks: check on servers, option httpchk in its one-line form, http-check expect validated at load', () => {
  const ok = parseHaproxyConfig([{ file: 'h.cfg', text: `${BASE}    option httpchk GET /healthz HTTP/1.1\\r\\nHost:\\ example.com\n    http-check expect rstring "\\"status\\":\\"ok\\""\n    server s3 127.0.0.1:9003 check inter 3s rise 2 fall 3\n` }]);
  assert.equal(ok.ok, true, JSON.stringify(ok.diagnostics));
  if (ok.ok) {
    const be = ok.config.backends[0]!;
    assert.deepEqual(be.healthCheck.httpchk, ['GET', '/healthz', 'HTTP/1.1\r\nHost: example.com']);
    assert.deepEqual(be.healthCheck.expect, ['rstring', '"status":"ok"']);
    assert.deepEqual(be.servers[2]!.check, { enabled: true, inter: 3000, rise: 2, fall: 3 });
  }
  const bad = parseHaproxyConfig([{ file: 'h.cfg', text: `${BASE}    http-check expect rstring (\n    timeout queue 5x\n` }]);
  assert.deepEqual(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.keyword]), [[20, 'http-check expect'], [21, 'timeout queue']]);
});

test('agent checks: agent-check with agent-port, agent-inter (default inter) and agent-send; agent-port is required', () => {
  const ok = parseHaproxyConfig([{ file: 'a.cfg', text: `${BASE}    server s3 127.0.0.1:9003 check inter 4s agent-check agent-port 9999 agent-send "ping\\n"\n` }]);
  assert.equal(ok.ok, true, JSON.stringify(ok.diagnostics));
  if (ok.ok) assert.deepEqual(ok.config.backends[0]!.servers[2]!.check.agent, { port: 9999, inter: 4000, send: 'ping\n' });
  const bad = parseHaproxyConfig([{ file: 'a.cfg', text: `${BASE}    server s3 127.0.0.1:9003 agent-check\n` }]);
  assert.deepEqual(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), ["server 's3': 'agent-check' needs 'agent-port'"]);
});

test('checks: tcp-check rules, http-check send, check-ssl, slowstart, spread-checks and hash-balance-factor load', () => {
  const result = parseHaproxyConfig([{ file: 'k.cfg', text: `global
    spread-checks 5
    max-spread-checks 2s
    ssl-server-verify none
defaults
    timeout client 1s
    timeout server 1s
    timeout connect 1s
backend redis
    mode tcp
    option tcp-check
    tcp-check connect port 6379
    tcp-check send PING\\r\\n
    tcp-check send-binary 0a0b
    tcp-check expect ! string -ERR
    server r1 127.0.0.1:6379 check slowstart 30s
backend web
    mode http
    balance uri
    hash-type consistent
    hash-balance-factor 150
    option httpchk
    http-check send meth POST uri /probe ver HTTP/1.1 hdr Host a.example body ping
    server w1 127.0.0.1:443 ssl check check-sni a.example
    server w2 127.0.0.1:443 ssl check port 8080
` }]);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  if (!result.ok) return;
  const { config } = result;
  assert.equal(config.global.spreadChecks, 5);
  assert.equal(config.global.maxSpreadChecks, 2000);
  const [redis, web] = config.backends;
  assert.deepEqual(redis!.healthCheck.tcpRules!.map((r) => r.kind), ['connect', 'send', 'send', 'expect']);
  assert.deepEqual(redis!.healthCheck.tcpRules![1], { kind: 'send', data: Buffer.from('PING\r\n'), source: { file: 'k.cfg', line: 13 } });
  assert.deepEqual(redis!.healthCheck.tcpRules![2]!.kind === 'send' && [...redis!.healthCheck.tcpRules![2]!.data], [10, 11]);
  assert.equal(redis!.servers[0]!.check.slowstart, 30_000);
  assert.equal(web!.balance.hashBalanceFactor, 150);
  assert.deepEqual(web!.healthCheck.send, { method: 'POST', uri: '/probe', version: 'HTTP/1.1', body: 'ping', headers: [['Host', 'a.example']] });
  assert.equal(web!.servers[0]!.tls?.verify, 'none', 'ssl-server-verify none is the default of verify');
  assert.equal(web!.servers[0]!.check.ssl, true, 'checks of an ssl server use TLS');
  assert.equal(web!.servers[0]!.check.sni, 'a.example');
  assert.equal(web!.servers[1]!.check.ssl, undefined, 'not when the check goes to another port');
});

test('check keyword errors name the line and the fix', () => {
  const result = parseHaproxyConfig([{ file: 'e.cfg', text: `backend b
    option tcp-check
    tcp-check send-binary 0a0
    tcp-check expect strng x
    http-check send meth
    server s1 127.0.0.1:443 ssl sni req.hdrx(host)
` }]);
  assert.equal(result.ok, false);
  const lines = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.keyword}: ${d.message}`);
  assert.deepEqual(lines, [
    "3 tcp-check send-binary: expects an even number of hexadecimal digits, got '0a0'",
    "4 tcp-check expect: unknown match 'strng' (string, rstring, binary)",
    "5 http-check send: 'meth' expects a value",
    "6 server: 'sni' 'req.hdrx(host)': unknown fetch method 'req.hdrx' in 'req.hdrx(host)'",
  ]);
});

test('minconn and fullconn (dynamic maxconn): minconn below maxconn is kept, alone it becomes the static maxconn', () => {
  const text = `defaults
    mode http
    fullconn 300
backend be
    server s1 127.0.0.1:9001 maxconn 100 minconn 10 maxqueue 5
    server s2 127.0.0.1:9002 minconn 20
backend other
    fullconn 50
    server s3 127.0.0.1:9003
`;
  const result = parseHaproxyConfig([{ file: 'a.cfg', text }]);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  if (!result.ok) return;
  const [be, other] = result.config.backends;
  assert.equal(be!.fullconn, 300);
  assert.equal(other!.fullconn, 50);
  assert.deepEqual([be!.servers[0]!.maxconn, be!.servers[0]!.minconn, be!.servers[0]!.maxqueue], [100, 10, 5]);
  assert.deepEqual([be!.servers[1]!.maxconn, be!.servers[1]!.minconn], [20, undefined]);
});
