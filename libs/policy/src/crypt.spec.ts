import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crypt, isSupportedCryptHash, verifyCrypt } from './crypt.js';

// Vectors produced by `openssl passwd -6|-5|-1 -salt …` (an independent implementation); the first two are also
// the reference vectors of Drepper's SHA-crypt specification.
const VECTORS: ReadonlyArray<readonly [string, string]> = [
  ['Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
  ['Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
  ['Hello world!', '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
  ['pw', '$5$rounds=1000$ab$pvoBecalA78StTh86CqG8MsZcI1O/fpecpCjMGNmZ.A'],
  ['a very long password with more than sixty four bytes of content, definitely more', '$6$xyz$UBb7AnYLi/yhClNhSXRARHqP2Mb3CQC8cKlovPR5qPGUzfTsV2CdPOiVYROx.0HDiVctsX9UjFb14ueS1JEgB.'],
  ['Hello world!', '$1$saltstr$QM9HTGmcCulEKt42JFhZ/.'],
  ['x', '$1$$LP5.V3ajGqHDdXW6XwZQy.'],
  ['a much longer password that exceeds sixteen bytes', '$1$abcdefgh$NuMOWEtRB69ncJTLM19PH1'],
];

test('crypt reproduces openssl passwd hashes ($6$, $5$, $1$, custom rounds, long keys)', () => {
  for (const [key, hash] of VECTORS) assert.equal(crypt(key, hash), hash, hash);
});

test('verifyCrypt accepts the password and refuses any other', () => {
  for (const [key, hash] of VECTORS) {
    assert.equal(verifyCrypt(key, hash), true);
    assert.equal(verifyCrypt(`${key}x`, hash), false);
    assert.equal(verifyCrypt(key.slice(1), hash), false);
  }
});

test('unsupported schemes never verify', () => {
  assert.equal(isSupportedCryptHash('$2y$10$abcdefghijklmnopqrstuu'), false);
  assert.equal(isSupportedCryptHash('abJnggxhB/yWI'), false);
  assert.equal(verifyCrypt('x', 'abJnggxhB/yWI'), false);
  assert.equal(isSupportedCryptHash('$6$salt$x'), true);
});
