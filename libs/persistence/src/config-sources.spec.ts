import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeConfigSources, encodeConfigSources } from './config-sources.js';

test('encodeConfigSources: whole-config hash over file\\0text\\0 in order, per-file hashes, JSON round trip', () => {
  const sources = [
    { file: 'a.cfg', text: 'global\n' },
    { file: 'b.cfg', text: 'defaults\n' },
  ];
  const { sha256, text } = encodeConfigSources(sources);
  // Expected hash built independently.
  assert.equal(sha256, createHash('sha256').update('a.cfg\0global\n\0b.cfg\0defaults\n\0').digest('hex'));
  const parsed = JSON.parse(text) as { file: string; sha256: string; text: string }[];
  assert.equal(parsed[1]!.sha256, createHash('sha256').update('defaults\n').digest('hex'));
  assert.deepEqual(decodeConfigSources(text), sources);
  // Order matters: the same files in another order are another configuration.
  assert.notEqual(encodeConfigSources([...sources].reverse()).sha256, sha256);
});

test('decodeConfigSources rejects text that is not an array of {file, text}', () => {
  assert.throws(() => decodeConfigSources('{}'), TypeError);
  assert.throws(() => decodeConfigSources('[{"file":1}]'), TypeError);
});
