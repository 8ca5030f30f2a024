/**
 * A Teleport address as its clients dial it: host:port or [ipv6]:port, no scheme, no path
 * (the `[teleport] addr` of the plugin config, tbot's proxy/auth server, the construct prop).
 * One check, used by the constructs at synth and by the relay's config loader.
 */
import { describeValue } from './secret-scrub';

/** The problem with `addr`, or undefined when it is a dialable host:port. The text starts with the value. */
export function hostPortProblem(addr: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(addr)) return `${describeValue(addr)} has a URL scheme`;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d+)$/.exec(addr);
  if (!m) return `${describeValue(addr)} has no port`;
  const port = Number(m[2]);
  if (m[2].length > 5 || port < 1 || port > 65535) return `${describeValue(addr)} has port ${m[2]}, outside 1-65535`;
  return undefined;
}
