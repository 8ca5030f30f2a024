/**
 * The one secret scrubber. Every error path and log runs its text through `scrubSecrets` before it is
 * printed: PEM blocks (identity files, keys, certificates), well-known token shapes (GitHub, Slack, AWS,
 * JWT), the user-info of URLs (`https://user:password@host`) and every secret value the process was
 * given (tokens read from files or environment variables: `registerSecret`), whatever its length
 * (below 8 characters as whole words only, so that a short token does not garble the words around it).
 *
 * `secretKind(value)` tells what a value looks like ("a PEM private key", "a URL with a password") so
 * that an input which is a secret in the wrong place (an identity pasted where a Secret *name* goes)
 * gets an error naming the kind of value, never the value. `describeValue` is JSON.stringify for
 * ordinary values and that kind for secret-looking ones.
 *
 * All scans are linear in the text: no nested quantifiers, one pass per registered secret.
 */

export const REDACTED = '[REDACTED]';

const PEM_BEGIN = /-----BEGIN ([A-Z0-9]+(?: [A-Z0-9]+)*)-----/g;
// What an unterminated (cut short, JSON-escaped) PEM body may hold.
const PEM_BODY_CHAR = /[A-Za-z0-9+/=\s\\:,-]/;
// scheme://user-info@ ; the user-info holds no '/', '@' or whitespace
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'<>]+@/gi;

/** Token formats recognised by their shape alone; the review's secret scan reports the same ones. */
export const TOKEN_SHAPES: readonly { noun: string; article: 'a' | 'an'; re: RegExp }[] = [
  { noun: 'AWS access key id', article: 'an', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { noun: 'GitHub token', article: 'a', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { noun: 'Slack token', article: 'a', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { noun: 'JSON Web Token', article: 'a', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];
const TOKEN_SHAPES_GLOBAL = TOKEN_SHAPES.map((t) => new RegExp(t.re.source, 'g'));

/** Secret values this process was given (tokens from files and environment variables). */
const registered = new Set<string>();

/**
 * Registers a secret value: from now on it is cut out of everything `scrubSecrets` sees, at any length
 * (a 4-character test token too). Surrounding whitespace is ignored, as token readers trim it.
 */
export function registerSecret(value: string | undefined | null): void {
  const v = value?.trim();
  if (!v) return;
  registered.add(v);
  // A value with whitespace in it (a token pasted with a stray word) is refused, but its parts are secrets too.
  for (const part of v.split(/\s+/)) if (part.length >= 8) registered.add(part);
}

/** Forgets every registered secret (tests). */
export function clearRegisteredSecrets(): void {
  registered.clear();
}

/** Shorter secrets are cut only as whole words, so a 3-character token does not garble "token" in a message. */
const WHOLE_WORD_BELOW = 8;
const WORD_CHAR = /[A-Za-z0-9_-]/;

/** Occurrences of a short value that are not part of a longer word. */
function cutWholeWord(text: string, v: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) {
    if (i < from) continue;
    const before = i > 0 ? (text[i - 1] as string) : '';
    const after = text[i + v.length] ?? '';
    if ((before && WORD_CHAR.test(before)) || (after && WORD_CHAR.test(after))) continue;
    out += text.slice(from, i) + REDACTED;
    from = i + v.length;
  }
  return out + text.slice(from);
}

/** Replaces each occurrence of each value (longest first, so a secret containing another goes whole). */
function cutValues(text: string, values: Iterable<string>): string {
  const sorted = [...new Set(values)].filter((v) => v !== '').sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of sorted) {
    if (!out.includes(v)) continue;
    out = v.length < WHOLE_WORD_BELOW ? cutWholeWord(out, v) : out.split(v).join(REDACTED);
  }
  return out;
}

/** Each PEM block (to its END line, or to where base64 stops when it has none) becomes a marker. */
function cutPemBlocks(text: string): string {
  if (!text.includes('-----BEGIN ')) return text;
  let out = '';
  let from = 0;
  let noEnd = false; // once no END follows, none follows a later BEGIN either: keeps this linear
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    if (m.index < from) continue;
    out += text.slice(from, m.index) + '[REDACTED PEM]';
    let end = noEnd ? -1 : text.indexOf('-----END ', m.index + m[0].length);
    if (end === -1) noEnd = true;
    if (end !== -1) {
      const close = text.indexOf('-----', end + 9);
      end = close === -1 ? text.length : close + 5;
    } else {
      end = m.index + m[0].length;
      while (end < text.length && PEM_BODY_CHAR.test(text[end] as string)) end++;
    }
    from = end;
    PEM_BEGIN.lastIndex = end;
  }
  return out + text.slice(from);
}

/** The text with every secret-looking value and every registered (or `extra`) secret replaced. */
export function scrubSecrets(text: string, extra: readonly (string | undefined | null)[] = []): string {
  let out = cutValues(text, [...registered, ...extra.map((s) => s?.trim() ?? '')]);
  out = cutPemBlocks(out);
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
  for (const re of TOKEN_SHAPES_GLOBAL) out = out.replace(re, REDACTED);
  return out;
}

/** A URL without its user-info, for messages and suggested fixes: `https://u:p@h/x` -> `https://h/x`. */
export function withoutUserInfo(url: string): string {
  return url.replace(URL_USERINFO, (_m, scheme: string) => scheme);
}

/**
 * What kind of secret a value looks like, or undefined for an ordinary value. Checks the shape only, so
 * it names the kind and never needs to print the value.
 */
export function secretKind(value: string): string | undefined {
  const v = value.trim();
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(v);
  if (pem) {
    const label = pem[1] as string;
    if (/PRIVATE KEY/.test(label)) return 'a PEM private key (an identity file or key pasted as text)';
    if (/CERTIFICATE/.test(label)) return 'a PEM certificate (an identity file or certificate pasted as text)';
    return `a PEM block (${label.toLowerCase()})`;
  }
  if (/^ssh-(?:rsa|ed25519|dss)|^ecdsa-sha2-|-cert-v01@openssh\.com/.test(v)) return 'an SSH key or certificate';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(v);
  if (m) return (m[1] as string).includes(':') ? 'a URL with a password' : 'a URL with a user name or token';
  for (const t of TOKEN_SHAPES) if (t.re.test(v)) return `${t.article} ${t.noun}`;
  for (const s of registered) if (v.includes(s)) return 'a secret value this process was given (a token)';
  return undefined;
}

/** JSON.stringify(value) for ordinary values; `<kind>` for secret-looking ones, never the value. */
export function describeValue(value: string): string {
  const kind = secretKind(value);
  return kind ? `<${kind}>` : JSON.stringify(value);
}

/** Field names whose literal value is a secret (anchored at the end: `token_file`, `secret_name` are fine). */
export const SECRET_FIELD_NAME = /(?:^|[_.-])(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|client[_-]?secret|access[_-]?key|identity[_-]?file(?:[_-]?base64)?|key[_-]?base64)$/i;

/**
 * True when the value given to a secret-named field is a literal secret rather than a reference: not a
 * path, placeholder, template or Terraform/env reference, not a boolean or number, at least 8 characters.
 */
export function isLiteralSecretValue(raw: string): boolean {
  let v = raw.trim();
  if (v.startsWith('#')) return false;
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q as string) && v.length >= 2) v = v.slice(1, -1);
  if (v.length < 8) return false;
  if (v.startsWith('|') || v.startsWith('>')) return false; // block scalar header; content is scanned by the token patterns
  if (/^[[{]/.test(v)) return false; // nested value
  if (v.includes('${') || v.includes('{{') || v.startsWith('$')) return false; // Terraform / template / env reference
  if (/^(?:\/|\.\/|~\/|<|file:|env:|vault:|arn:|projects\/)/.test(v)) return false; // paths, placeholders, references
  if (/^(?:true|false|null|yes|no|REDACTED|\*+)$/i.test(v) || /^[0-9.]+$/.test(v)) return false;
  return true;
}

/**
 * Why a literal key/value (an annotation, a `--flag=value` argument) carries a secret, or undefined: a
 * secret-looking value anywhere, or a literal value under a secret-named key.
 */
export function literalSecretProblem(key: string, value: string): string | undefined {
  const kind = secretKind(value);
  if (kind) return `the value looks like ${kind}`;
  if (SECRET_FIELD_NAME.test(key) && isLiteralSecretValue(value)) return `"${key}" names a secret and its value is a literal`;
  return undefined;
}
