import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUri } from './normalize-uri.js';

// The examples of HAProxy 2.6 configuration.txt, "http-request normalize-uri".
const CASES: ReadonlyArray<readonly [string, string, boolean, string | undefined]> = [
  ['path-merge-slashes', '//', false, '/'],
  ['path-merge-slashes', '/foo//bar', false, '/foo/bar'],
  ['path-merge-slashes', '/a//b?x=//', false, '/a/b?x=//'],
  ['path-strip-dot', '/.', false, '/'],
  ['path-strip-dot', '/./bar/', false, '/bar/'],
  ['path-strip-dot', '/a/./a', false, '/a/a'],
  ['path-strip-dot', '/.well-known/', false, '/.well-known/'],
  ['path-strip-dotdot', '/foo/../', false, '/'],
  ['path-strip-dotdot', '/foo/../bar/', false, '/bar/'],
  ['path-strip-dotdot', '/foo/bar/../', false, '/foo/'],
  ['path-strip-dotdot', '/../bar/', false, '/../bar/'],
  ['path-strip-dotdot', '/bar/../../', false, '/../'],
  ['path-strip-dotdot', '/foo//../', false, '/foo/'],
  ['path-strip-dotdot', '/../bar/', true, '/bar/'],
  ['path-strip-dotdot', '/bar/../../', true, '/'],
  ['path-strip-dotdot', '/a/../b?q=/../', false, '/b?q=/../'],
  ['percent-to-uppercase', '/%6f', false, '/%6F'],
  ['percent-to-uppercase', '/%zz', false, '/%zz'],
  ['percent-to-uppercase', '/%zz', true, undefined],
  ['percent-decode-unreserved', '/%61', false, '/a'],
  ['percent-decode-unreserved', '/%3F', false, '/%3F'],
  ['percent-decode-unreserved', '/%zz', false, '/%zz'],
  ['percent-decode-unreserved', '/%zz', true, undefined],
  ['query-sort-by-name', '/?c=3&a=1&b=2', false, '/?a=1&b=2&c=3'],
  ['query-sort-by-name', '/?aaa=3&a=1&aa=2', false, '/?a=1&aa=2&aaa=3'],
  ['query-sort-by-name', '/?a=3&b=4&a=1&b=5&a=2', false, '/?a=3&a=1&a=2&b=4&b=5'],
  ['fragment-strip', '/#foo', false, '/'],
  ['fragment-encode', '/#foo', false, '/%23foo'],
  ['path-strip-dotdot', 'http://h.example/a/../b?x', false, 'http://h.example/b?x'],
];

test('normalize-uri follows the documented examples', () => {
  for (const [n, input, opt, want] of CASES) assert.equal(normalizeUri(input, n, opt), want, `${n}${opt ? ' (option)' : ''} ${input}`);
});
