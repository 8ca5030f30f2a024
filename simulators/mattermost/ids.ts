import { randomBytes } from 'node:crypto';

// Mattermost ids are 16 random bytes in base32 with this alphabet and no padding: 26 lowercase characters
// (server/public/model/utils.go NewId). Tests and the relay must never rely on friendlier ids like "post-1".
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  const bytes = randomBytes(16);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The server's IsValidId: exactly 26 letters or digits (it does not insist on the base32 alphabet). */
export function isValidId(value: string): boolean {
  return /^[A-Za-z0-9]{26}$/.test(value);
}
