import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';
import { errorMessageProblem } from './errorfile-message.js';

const PAGE_403 = 'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 6\r\n\r\nsorry\n';
const PAGE_503 = 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\n\r\nbusy\n';
const FILES: Record<string, string> = { '/e/403.http': PAGE_403, '/e/503.http': PAGE_503, '/e/bad.http': 'hello, no status line\n\n', '/b/body.txt': 'plain body\n', '/b/lf.txt': 'from %[src]' };
const files = { read: (p: string) => (p in FILES ? Buffer.from(FILES[p]!, 'latin1') : new Error('ENOENT: no such file')), listDirectory: () => undefined };

function parse(frontend: string, extra = '') {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${frontend}\n  default_backend b0\nbackend b0\n  server s1 127.0.0.1:1\n  server s2 127.0.0.1:2\n${extra}`;
  return parseHaproxyConfig([{ file: 'a.cfg', text }], { files });
}

const errors = (r: ReturnType<typeof parse>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.keyword}: ${d.message}`);

test('deny and tarpit take HAProxy 2.6 reply options: content-type + string, hdr (repeatable), file, lf-file, errorfile', () => {
  const r = parse([
    '  http-request deny deny_status 429 content-type text/plain string "slow down" hdr Retry-After 10 hdr X-By %[src] if { path /a }',
    '  http-request deny content-type text/plain file /b/body.txt if { path /b }',
    '  http-request tarpit deny_status 403 content-type text/plain lf-file /b/lf.txt if { path /c }',
    '  http-request deny errorfile /e/403.http if { path /d }',
  ].join('\n'));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const [a, b, c, d] = r.config.frontends[0]!.policy!.httpRequest as any[];
  assert.deepEqual([a.action, a.status, a.reply.contentType, a.reply.body, a.reply.headers], ['deny', 429, 'text/plain', 'slow down', [['Retry-After', '10'], ['X-By', '%[src]']]]);
  assert.ok(a.reply.headerFormats[1] && !a.reply.headerFormats[0]);
  assert.equal(b.reply.body, 'plain body\n');
  assert.deepEqual([c.action, c.status, c.reply.body], ['tarpit', 403, 'from %[src]']);
  assert.ok(c.reply.bodyFormat);
  assert.equal(d.reply.message.toString('latin1'), PAGE_403);
});

test('reply option errors name the line and keyword: missing content-type, unreadable file, broken errorfile, two bodies', () => {
  const r = parse([
    '  http-request deny string x',
    '  http-request deny content-type text/plain file /nope.txt',
    '  http-request deny errorfile /e/bad.http',
    '  http-request return status 200 content-type text/plain string a file /b/body.txt',
    '  http-request return status 204 content-type text/plain string a',
  ].join('\n'));
  const e = errors(r);
  assert.equal(r.ok, false);
  assert.match(e[0]!, /^8 http-request deny: .*content type must be defined/);
  assert.match(e[1]!, /^9 http-request deny: .*cannot read '\/nope.txt': ENOENT/);
  assert.match(e[2]!, /^10 http-request deny: .*'\/e\/bad.http': unable to parse the status line/);
  assert.match(e[3]!, /^11 http-request return: unexpected 'file' argument, 'string' already defined/);
  assert.match(e[4]!, /^12 http-request return: .*no payload expected for 204/);
});

test('return file/errorfile/errorfiles, and content-type ignored with an errorfile (a warning, as HAProxy)', () => {
  const r = parse(['  http-request return content-type text/html file /b/body.txt if { path /r }', '  http-request return status 503 content-type text/plain errorfiles site if { path /s }'].join('\n'), 'http-errors site\n  errorfile 503 /e/503.http\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const [a, b] = r.config.frontends[0]!.policy!.httpRequest as any[];
  assert.deepEqual([a.status, a.contentType, a.body], [200, 'text/html', 'plain body\n']);
  assert.equal(b.message.toString('latin1'), PAGE_503);
  assert.ok(r.diagnostics.some((d) => d.severity === 'warning' && /content-type 'text\/plain' ignored/.test(d.message)));
});

test('http-errors sections: errorfiles imports all or the listed codes, in line order with errorfile; deny errorfiles picks its status', () => {
  const sections = 'http-errors site\n  errorfile 403 /e/403.http\n  errorfile 503 /e/503.http\n';
  const r = parse(['  errorfiles site 403', '  http-request deny errorfiles site if { path /x }', '  http-request deny deny_status 404 errorfiles site if { path /y }'].join('\n'), `backend b1\n  errorfile 503 /e/503.http\n  errorfiles site\n  server s 127.0.0.1:3\n${sections}`);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const fe = r.config.frontends[0]!;
  assert.deepEqual([...fe.errorFiles.keys()], [403]);
  assert.equal(fe.errorFiles.get(403)!.toString('latin1'), PAGE_403);
  const [x, y] = fe.policy!.httpRequest as any[];
  assert.equal(x.reply.message.toString('latin1'), PAGE_403);
  // 404 is not in the section: the proxy's own page answers, with a warning naming the section.
  assert.equal(y.reply, undefined);
  assert.ok(r.diagnostics.some((d) => d.severity === 'warning' && /404 is not declared in http-errors section 'site'/.test(d.message)));
  assert.deepEqual([...r.config.backends.find((b) => b.name === 'b1')!.errorFiles.keys()].sort(), [403, 503]);
});

test('http-errors errors: unknown section (with suggestion), unknown keyword, bad code, unreadable or broken file, duplicate name', () => {
  const r = parse('  errorfiles sit\n  errorfiles site 999', 'http-errors site\n  errorfile 403 /e/bad.http\n  errorfile 999 /e/403.http\n  errorloc 403 /x\n  errorfile 503 /nope\nhttp-errors site\n');
  const e = errors(r);
  assert.ok(e.some((m) => /^8 errorfiles: unknown http-errors section 'sit'/.test(m)));
  assert.equal(r.diagnostics.find((d) => /unknown http-errors section/.test(d.message))!.suggestion, 'site');
  assert.ok(e.some((m) => /^9 errorfiles: status code '999' not handled/.test(m)));
  assert.ok(e.some((m) => /^15 errorfile: '\/e\/bad.http': unable to parse the status line/.test(m)));
  assert.ok(e.some((m) => /^16 errorfile: status code '999' cannot be customised/.test(m)));
  assert.ok(e.some((m) => /^17 errorloc: unknown keyword in 'http-errors' section/.test(m)));
  assert.ok(e.some((m) => /^18 errorfile: cannot read '\/nope'/.test(m)));
  assert.ok(e.some((m) => /^19 http-errors: http-errors section 'site' has the same name as another .* a.cfg:14/.test(m)));
});

test('an errorfile must be a complete HTTP response (HAProxy refuses the others at load)', () => {
  assert.equal(errorMessageProblem(Buffer.from(PAGE_403)), undefined);
  assert.equal(errorMessageProblem(Buffer.from('HTTP/1.0 503 x\nContent-Type: text/html\n\n<p>busy</p>\n')), undefined);
  assert.match(errorMessageProblem(Buffer.from('HTTP/1.1 403 F\r\ncontent-length: 3\r\n\r\nsorry'))!, /payload size does not match the announced content-length \(5 != 3\)/);
  assert.match(errorMessageProblem(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'))!, /invalid http status code/);
  assert.match(errorMessageProblem(Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n'))!, /chunk-encoded/);
  assert.match(errorMessageProblem(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0'))!, /unable to parse headers/);
  const r = parse('  errorfile 403 /e/bad.http');
  assert.match(errors(r)[0]!, /^8 errorfile: '\/e\/bad.http': unable to parse the status line/);
});

test('redirect set-cookie / clear-cookie as HAProxy writes them; ignore-empty and keep-query are not HAProxy 2.6', () => {
  const r = parse(['  redirect prefix https://a.example set-cookie SEEN=1 if { path /p }', '  http-request redirect location /bye clear-cookie SID code 303 if { path /q }'].join('\n'));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.config.frontends[0]!.policy!;
  assert.equal(p.redirects[0]!.redirect.cookie, 'SEEN=1; path=/;');
  assert.equal((p.httpRequest[0] as any).redirect.cookie, 'SID; path=/; Max-Age=0;');
  for (const opt of ['ignore-empty', 'keep-query']) assert.match(errors(parse(`  http-request redirect location /x ${opt}`))[0]!, new RegExp(`unknown redirect option '${opt}': HAProxy 2.6 has no such option`));
  assert.match(errors(parse('  redirect location /x set-cookie'))[0]!, /missing argument for 'set-cookie'/);
});

test('del-header -m str|beg|end|sub|reg on http-request, http-response and http-after-response', () => {
  const r = parse(['  http-request del-header X-Debug- -m beg', '  http-response del-header -id -m end', '  http-after-response del-header ^x-(a|b)$ -m reg', '  http-request del-header Via -m str'].join('\n'));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.config.frontends[0]!.policy!;
  assert.deepEqual(p.httpRequest.map((x: any) => [x.name, x.match]), [['X-Debug-', 'beg'], ['Via', undefined]]);
  assert.deepEqual([(p.httpResponse[0] as any).match, (p.httpAfterResponse![0] as any).match], ['end', 'reg']);
  assert.match(errors(parse('  http-request del-header X -m glob'))[0]!, /'del-header -m' expects one of str, beg, end, sub, reg, got 'glob'/);
  assert.match(errors(parse('  http-request del-header ( -m reg'))[0]!, /invalid regex/);
});

test('use-server %[…]: a dynamic name is a log-format (HAProxy 2.6), not checked at load; a plain unknown name still is', () => {
  const ok = parse('', 'backend b2\n  use-server %[req.hdr(x-srv)] if TRUE\n  server a 127.0.0.1:4\n');
  assert.ok(ok.ok, JSON.stringify(ok.diagnostics));
  const u = ok.config.backends.find((b) => b.name === 'b2')!.policy!.useServer![0]!;
  assert.ok(u.format);
  assert.match(errors(parse('', 'backend b2\n  use-server zz if TRUE\n  server a 127.0.0.1:4\n'))[0]!, /unable to find server 'zz'/);
});

test('a bare deny/tarpit with a status that has no built-in page is refused, as HAProxy 2.6 does (it would answer nothing)', () => {
  const r = parse(['  http-request deny deny_status 418 if { path /teapot }', '  http-request tarpit deny_status 418 content-type text/plain string "short and stout"'].join('\n'));
  const e = errors(r);
  assert.equal(e.length, 1, e.join('\n'));
  assert.match(e[0]!, /^8 http-request deny: status code '418' not handled by default with 'default-errorfiles'/);
});
