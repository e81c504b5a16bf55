// Scenario: `tandemd -c` validates a configuration the way `haproxy -c` does: exit 0 and "Configuration file is
// valid", or exit 1 with every error at once, each naming file, line and keyword.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, TANDEMD_MAIN, TempDir } from '@tandem/testing';

const VALID = `global
    maxconn 1000
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:18080
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:18081 weight 1
`;

test('a valid configuration passes -c with exit 0', async () => {
  const dir = new TempDir();
  try {
    const result = await runNode(TANDEMD_MAIN, ['-c', '-f', dir.file('ok.cfg', VALID)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Configuration file is valid/);
  } finally {
    dir.cleanup();
  }
});

test('a broken configuration fails -c with exit 1 and every error at once, with file:line and keyword', async () => {
  const dir = new TempDir();
  try {
    const first = dir.file('10-main.cfg', VALID.replace('balance roundrobin', 'balance roundrobn'));
    const second = dir.file('20-extra.cfg', 'backend other\n    servr s2 127.0.0.1:1 weight 1\n');
    const result = await runNode(TANDEMD_MAIN, ['-c', '-f', first, '-f', second]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`${escape(first)}:12\\].*'balance'.*roundrobn.*did you mean 'roundrobin'`));
    assert.match(result.stderr, new RegExp(`${escape(second)}:2\\].*'servr'.*did you mean 'server'`));
    assert.match(result.stderr, /Fatal errors found in configuration/);
  } finally {
    dir.cleanup();
  }
});

test('a directory given with -f loads its files in lexical order', async () => {
  const dir = new TempDir();
  try {
    dir.file('a-global.cfg', VALID.split('frontend')[0]!);
    dir.file('b-proxies.cfg', `frontend${VALID.split('frontend')[1]!}`);
    const result = await runNode(TANDEMD_MAIN, ['-c', '-f', dir.path]);
    assert.equal(result.code, 0, result.stderr);
  } finally {
    dir.cleanup();
  }
});

test('-v prints the version and exits 0', async () => {
  const result = await runNode(TANDEMD_MAIN, ['-v']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Tandem version \d+\.\d+\.\d+/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
