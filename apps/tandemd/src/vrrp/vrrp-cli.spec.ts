import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine, USAGE } from '../cli/command-line.js';

test('-k and --keepalived-config take the keepalived.conf path; -k is in the help', () => {
  for (const flag of ['-k', '--keepalived-config']) {
    const r = parseCommandLine(['-f', 'h.cfg', flag, '/etc/keepalived/keepalived.conf']);
    assert.equal(r.kind, 'run');
    if (r.kind === 'run') assert.equal(r.options.keepalivedConfig, '/etc/keepalived/keepalived.conf');
  }
  assert.equal(parseCommandLine(['-f', 'h.cfg', '-k']).kind, 'error');
  assert.match(USAGE, /-k, --keepalived-config <file>/);
});
