/**
 * Last line of defence before anything is printed: the model's scrubber (PEM blocks, URL user-info, token
 * shapes, registered and given secrets such as the Mattermost token), plus bare base64 runs as long as a
 * line of a key or certificate body (a PEM whose header was cut off). The report never puts them there on
 * purpose; a server error message echoing a token must not leak it into a CI log either.
 */
import { scrubSecrets } from '../model/secret-scrub';

const LONG_BASE64 = /[A-Za-z0-9+/]{60,}={0,2}/g;

export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  return scrubSecrets(text, secrets).replace(LONG_BASE64, '[REDACTED]');
}
