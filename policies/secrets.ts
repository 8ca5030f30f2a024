/**
 * Finds secret material in reviewed files: private keys, cloud and chat tokens, JWTs, literal values of
 * secret-named fields, and literal Kubernetes Secret data in Terraform JSON. Reports the kind and line,
 * never the value.
 */
import { isLiteralSecretValue as isLiteralSecret, SECRET_FIELD_NAME as SECRET_KEY, TOKEN_SHAPES } from '../model/secret-scrub';

export interface SecretHit {
  file: string;
  line: number;
  /** What was found, e.g. "private key"; safe to print. */
  kind: string;
}

const TOKEN_PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'private key (PEM)', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  ...TOKEN_SHAPES.map((t) => ({ kind: t.noun, re: t.re })),
];

const KEY_CHAR = /[A-Za-z0-9_.-]/;
const SPACE = /\s/;

/**
 * `key: value` (YAML), `"key": "value"` (JSON), `key = "value"` (TOML/INI embedded in a JSON string), or
 * undefined. A hand-written scan, linear in the line: the regex it replaces (`(.*?)\s*,?\s*$`) was cubic
 * in runs of spaces, so a description of a few thousand spaces took minutes.
 */
export function keyValueOf(line: string): { key: string; value: string } | undefined {
  let i = 0;
  const n = line.length;
  const skipSpace = () => {
    while (i < n && SPACE.test(line[i] as string)) i++;
  };
  skipSpace();
  if (line[i] === '-' && i + 1 < n && SPACE.test(line[i + 1] as string)) {
    i++;
    skipSpace();
  }
  if (line[i] === '"' || line[i] === "'") i++;
  const keyStart = i;
  while (i < n && KEY_CHAR.test(line[i] as string)) i++;
  if (i === keyStart) return undefined;
  const key = line.slice(keyStart, i);
  if (line[i] === '"' || line[i] === "'") i++;
  skipSpace();
  if (line[i] !== ':' && line[i] !== '=') return undefined;
  let value = line.slice(i + 1).trim();
  if (value.endsWith(',')) value = value.slice(0, -1).trimEnd();
  return { key, value };
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Literal data of kubernetes_secret(_v1) resources in a cdk.tf.json. */
function terraformSecretHits(text: string, file: string): SecretHit[] {
  let json: { resource?: Record<string, Record<string, Record<string, unknown>>> };
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const out: SecretHit[] = [];
  for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
    for (const [name, body] of Object.entries(json.resource?.[type] ?? {})) {
      for (const field of ['data', 'binary_data', 'string_data']) {
        const data = body[field];
        if (!data || typeof data !== 'object') continue;
        for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
          if (typeof v !== 'string' || v === '' || v.includes('${')) continue;
          const at = text.indexOf(JSON.stringify(k), Math.max(0, text.indexOf(JSON.stringify(name))));
          out.push({ file, line: at >= 0 ? lineAt(text, at) : 1, kind: `literal value in ${type}.${name}.${field}` });
        }
      }
    }
  }
  return out;
}

export function scanSecrets(file: string, text: string, opts: { terraform?: boolean } = {}): SecretHit[] {
  const out: SecretHit[] = [];
  const hitLines = new Set<number>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const p of TOKEN_PATTERNS) {
      if (p.re.test(line)) {
        out.push({ file, line: i + 1, kind: p.kind });
        hitLines.add(i + 1);
      }
    }
    // a JSON string may embed a whole config file: scan its lines too
    const pieces = line.includes('\\n') ? [line, ...line.split('\\n').map((p) => p.replace(/\\"/g, '"'))] : [line];
    for (const piece of pieces) {
      const kv = keyValueOf(piece);
      if (kv && SECRET_KEY.test(kv.key) && isLiteralSecret(kv.value) && !hitLines.has(i + 1)) {
        out.push({ file, line: i + 1, kind: `literal value of secret field "${kv.key}"` });
        hitLines.add(i + 1);
      }
    }
  });
  if (opts.terraform) {
    for (const h of terraformSecretHits(text, file)) if (!hitLines.has(h.line)) out.push(h);
  }
  return out;
}
