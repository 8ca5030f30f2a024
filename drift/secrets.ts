/**
 * Last line of defence before anything is printed: removes known secret values (the Mattermost token) and any
 * PEM block (identity keys and certificates). The report never puts them there on purpose; a server error
 * message echoing a token must not leak it into a CI log either.
 */
// A whole block, or (when a value was cut short or JSON-escaped) the header and the base64 after it.
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----(?:[A-Za-z0-9+/=\s]|\\[rn])*(?:-----END [A-Z0-9 ]+-----)?/g;
// A bare base64 run as long as a line of a key or certificate body (a PEM whose header was cut off).
const LONG_BASE64 = /[A-Za-z0-9+/]{60,}={0,2}/g;

export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(PEM_BLOCK, '[REDACTED PEM]').replace(LONG_BASE64, '[REDACTED]');
  for (const s of secrets) {
    if (s && s.length >= 6) out = out.split(s).join('[REDACTED]');
  }
  return out;
}
