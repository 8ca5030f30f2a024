import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clearRegisteredSecrets, describeValue, registerSecret, scrubSecrets, secretKind, withoutUserInfo } from '../../model/secret-scrub';
import { closest, didYouMean } from '../../model/did-you-mean';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx1\nabcDEF+/==\n-----END RSA PRIVATE KEY-----';

test('scrubber: PEM blocks, escaped or cut short, become a marker; text after them stays', () => {
  assert.equal(scrubSecrets(`bad ${PEM} after`), 'bad [REDACTED PEM] after');
  const escaped = JSON.stringify(PEM);
  assert.doesNotMatch(scrubSecrets(`x ${escaped} y`), /MIIE/);
  assert.doesNotMatch(scrubSecrets('-----BEGIN CERTIFICATE-----\\nMIIB\\nQUJD'), /MIIB|QUJD/);
});

test('scrubber: URL user-info, token shapes and registered secrets of any length', () => {
  clearRegisteredSecrets();
  assert.equal(scrubSecrets('see https://bob:hunter2@chat.example.com/x'), 'see https://[REDACTED]@chat.example.com/x');
  assert.equal(withoutUserInfo('https://bob:hunter2@chat.example.com/x'), 'https://chat.example.com/x');
  assert.equal(scrubSecrets('t ghp_' + 'a'.repeat(36)), 't [REDACTED]');
  registerSecret('q7z'); // a 3-character token is still cut
  registerSecret('  longtoken-q7z  ');
  assert.equal(scrubSecrets('token=longtoken-q7z and q7z'), 'token=[REDACTED] and [REDACTED]');
  assert.equal(scrubSecrets('x', ['abc']), 'x');
  assert.equal(scrubSecrets('token=abc "abc"', ['abc']), 'token=[REDACTED] "[REDACTED]"');
  assert.equal(scrubSecrets('xabcx --token', ['abc', 'tok']), 'xabcx --token', 'short secrets go as whole words only');
  assert.equal(scrubSecrets('xsecretvalue1x', ['secretvalue1']), 'x[REDACTED]x', 'long ones wherever they are');
  clearRegisteredSecrets();
});

test('scrubber: linear on hostile input (many BEGIN headers without END, long lines)', () => {
  const hostile = '-----BEGIN X-----a'.repeat(20_000) + ' '.repeat(100_000) + 'https://'.repeat(10_000);
  let steps = 0;
  for (let i = 0; i < 3; i++) steps += scrubSecrets(hostile).length > 0 ? 1 : 0;
  assert.equal(steps, 3); // completes (a quadratic scan would take minutes on this input)
});

test('secretKind names the kind of a secret in the wrong place, describeValue never prints it', () => {
  assert.match(secretKind(PEM) ?? '', /PEM private key/);
  assert.match(secretKind('-----BEGIN CERTIFICATE-----\nAAA') ?? '', /PEM certificate/);
  assert.equal(secretKind('https://u:p@h'), 'a URL with a password');
  assert.equal(secretKind('plugin-identity'), undefined);
  assert.equal(describeValue('plugin-identity'), '"plugin-identity"');
  assert.doesNotMatch(describeValue(PEM), /MIIE/);
});

test('did you mean: closest name within a typo distance', () => {
  assert.equal(closest('identitty', ['identity', 'addr', 'refresh_identity']), 'identity');
  assert.equal(closest('zzzzzz', ['identity', 'addr']), undefined);
  assert.equal(didYouMean('dbadmn', ['dbadmin', 'devops']), ' (did you mean "dbadmin"?)');
  assert.equal(didYouMean('x', ['dbadmin']), '');
  assert.equal(closest('gsc', ['local', 's3', 'gcs']), 'gcs', 'a swap of neighbours is one edit');
});
