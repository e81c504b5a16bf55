import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from './lexer.js';

const words = (text: string, env: Record<string, string> = {}) => tokenize('t.cfg', text, env).lines.map((l) => l.words);

test('words are split on blanks; # starts a comment outside quotes', () => {
  assert.deepEqual(words('  server  s1\t127.0.0.1:80   # a comment\n'), [['server', 's1', '127.0.0.1:80']]);
  assert.deepEqual(words('http-check expect string "a#b"'), [['http-check', 'expect', 'string', 'a#b']]);
});

test('double quotes group words and expand ${VAR} and ${VAR-default}; single quotes are literal', () => {
  assert.deepEqual(words('bind "${ADDR}:${PORT-8080}" \'${ADDR}\'', { ADDR: '127.0.0.1' }), [['bind', '127.0.0.1:8080', '${ADDR}']]);
  assert.deepEqual(words('stats realm "HAProxy Statistics"'), [['stats', 'realm', 'HAProxy Statistics']]);
});

test('backslash escapes outside quotes: space, \\r\\n, quotes and #', () => {
  assert.deepEqual(words('option httpchk GET /healthz HTTP/1.1\\r\\nHost:\\ solvethenetwork.com'), [
    ['option', 'httpchk', 'GET', '/healthz', 'HTTP/1.1\r\nHost: solvethenetwork.com'],
  ]);
  assert.deepEqual(words('x a\\#b \\"q\\"'), [['x', 'a#b', '"q"']]);
});

test('adjacent quoted and unquoted parts form one word', () => {
  assert.deepEqual(words('x "a b"c\'d\''), [['x', 'a bcd']]);
});

test('a trailing backslash continues the line; the line number is where the statement starts', () => {
  const { lines } = tokenize('t.cfg', 'frontend f\n    bind :443 ssl \\\n        crt /x.pem \\\n        alpn h2\n    mode http\n', {});
  assert.deepEqual(lines.map((l) => [l.line, l.words.join(' ')]), [
    [1, 'frontend f'],
    [2, 'bind :443 ssl crt /x.pem alpn h2'],
    [5, 'mode http'],
  ]);
});

test('an unterminated quote is an error naming the line, and lexing goes on', () => {
  const { lines, errors } = tokenize('t.cfg', 'a "b\nc d\n', {});
  assert.deepEqual(errors.map((e) => [e.line, e.message]), [[1, 'unterminated double quote']]);
  assert.deepEqual(lines.map((l) => l.words), [['c', 'd']]);
});
