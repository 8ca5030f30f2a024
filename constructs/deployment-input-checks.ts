/**
 * Checks of AccessPluginDeployment props that Kubernetes or Terraform would only reject at apply time
 * (or never): container image references, resource quantities and names, and literal secrets in places
 * that are written in plain text into cdk.tf.json, the Terraform state and the pod spec (pod annotations,
 * container args, the tbot join token). Each problem names the prop and the fix; a secret-looking value
 * is described by its kind, never printed.
 */
import { didYouMean } from '../model/did-you-mean';
import { describeValue, literalSecretProblem, secretKind } from '../model/secret-scrub';

type Add = (prop: string, message: string) => void;

// distribution/reference grammar (the one Kubernetes and container runtimes parse image names with)
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_EXAMPLE = 'e.g. "ghcr.io/dualauth/dualauth-relay:0.1.0" or "public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22"';

/** Why `ref` is not a container image reference (name[:tag][@digest]), or undefined. */
export function imageReferenceProblem(ref: string): string | undefined {
  const kind = secretKind(ref);
  if (kind) return `holds what looks like ${kind}: ${IN_PLAIN_TEXT}; give a plain image reference, ${IMAGE_EXAMPLE}`;
  const shown = describeValue(ref);
  if (ref.trim() === '') return `is empty: give an image reference, ${IMAGE_EXAMPLE}`;
  if (/\s/.test(ref)) return `${shown} contains whitespace: an image reference has none, ${IMAGE_EXAMPLE}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return `${shown} has a URL scheme: drop it, ${IMAGE_EXAMPLE}`;
  let rest = ref;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const digest = rest.slice(at + 1);
    if (!DIGEST.test(digest)) return `${shown} has a malformed digest after "@": give sha256:<64 hex digits>`;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    const tag = rest.slice(colon + 1);
    if (tag === '') return `${shown} has an empty tag after ":": give a tag (e.g. ":0.1.0") or drop the ":"`;
    if (!TAG.test(tag)) return `${shown} has an invalid tag ${JSON.stringify(tag)}: use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")`;
    rest = rest.slice(0, colon);
  }
  if (rest.length > 255) return `${shown}: the repository name is longer than 255 characters`;
  const parts = rest.split('/');
  const first = parts[0] as string;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first))) {
    const [host, port] = first.split(':');
    if (!(host as string).split('.').every((c) => DOMAIN_COMPONENT.test(c)) || (port !== undefined && !/^\d{1,5}$/.test(port))) {
      return `${shown} has an invalid registry host ${JSON.stringify(first)}`;
    }
    parts.shift();
  }
  for (const c of parts) {
    if (!PATH_COMPONENT.test(c)) {
      return `${shown} has an invalid repository part ${JSON.stringify(c)}: use lowercase letters, digits and single ".", "_", "__" or "-" between them, ${IMAGE_EXAMPLE}`;
    }
  }
  return undefined;
}

// k8s.io/apimachinery resource.Quantity: <signed number><suffix>, suffix binary (Ki..Ei), decimal (n u m "" k M G T P E) or exponent.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'storage'];

/** Problems of requests/limits: names Kubernetes knows (or domain-prefixed extended ones) and quantities. */
export function resourceProblems(prop: string, given: { requests?: Record<string, string>; limits?: Record<string, string> } | undefined, add: Add): void {
  for (const part of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries(given?.[part] ?? {})) {
      const where = `${prop}.${part}.${name}`;
      if (!STANDARD_RESOURCES.includes(name) && !name.startsWith('hugepages-') && !name.includes('/')) {
        add(where, `"${name}" is not a Kubernetes resource name${didYouMean(name, STANDARD_RESOURCES)}: use cpu, memory or ephemeral-storage (or a domain-prefixed extended resource such as example.com/gpu)`);
      }
      if (typeof q !== 'string' || !QUANTITY.test(q)) {
        add(where, `${typeof q === 'string' ? describeValue(q) : JSON.stringify(q)} is not a Kubernetes quantity: give e.g. "${name === 'cpu' ? '500m' : '256Mi'}" (a number with an optional suffix m, k, M, G, Ki, Mi, Gi, ...)`);
      } else if (q.startsWith('-')) {
        add(where, `${q} is negative: give e.g. "${name === 'cpu' ? '500m' : '256Mi'}"`);
      }
    }
  }
}

const IN_PLAIN_TEXT = 'it would be written in plain text into cdk.tf.json, the Terraform state and the pod spec';

/** Literal secrets in pod annotations and container args. */
export function literalSecretProblems(props: { podAnnotations?: Record<string, string>; args?: readonly string[] }, add: Add): void {
  for (const [k, v] of Object.entries(props.podAnnotations ?? {})) {
    const problem = literalSecretProblem(k, v);
    if (problem) add(`podAnnotations["${k}"]`, `${problem}: ${IN_PLAIN_TEXT}; keep secrets in the identity and mattermostToken Secrets, never in annotations`);
  }
  const args = props.args ?? [];
  args.forEach((arg, i) => {
    let problem: string | undefined;
    const eq = /^--?([A-Za-z0-9_.-]+)=(.*)$/s.exec(arg);
    if (eq) problem = literalSecretProblem(eq[1] as string, eq[2] as string);
    else {
      const flag = i > 0 ? /^--?([A-Za-z0-9_.-]+)$/.exec(args[i - 1] as string) : null;
      problem = flag ? literalSecretProblem(flag[1] as string, arg) : secretKind(arg) ? `the value looks like ${secretKind(arg)}` : undefined;
    }
    if (problem) add(`args[${i}]`, `${problem}: ${IN_PLAIN_TEXT}; the plugin reads its token from the mounted Secret file (mattermost.token in the TOML), so pass no secret as an argument`);
  });
}

/** tctl tokens add prints a random token of 16 bytes as 32 hex digits (utils.CryptoRandomHex(TokenLenBytes)). */
const GENERATED_JOIN_TOKEN = /^[0-9a-f]{32}$/i;

/** The tbot `token` is the *name* of a provision token for join method kubernetes, never a secret. */
export function tbotTokenProblem(token: string): string | undefined {
  const kind = secretKind(token);
  if (kind || GENERATED_JOIN_TOKEN.test(token)) {
    return `looks like ${kind ?? 'a secret join token (32 hex digits, as `tctl tokens add` prints)'}: ${IN_PLAIN_TEXT}. With join method kubernetes no secret is needed: create a provision token with a name of your choice (e.g. "dualauth-plugin", join_method: kubernetes, allow <namespace>:<service account>) and give that name`;
  }
  return undefined;
}
