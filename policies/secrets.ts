/**
 * Finds secret material in reviewed files: private keys, cloud and chat tokens, JWTs, literal values of
 * secret-named fields, and literal Kubernetes Secret data in Terraform JSON. Reports the kind and line,
 * never the value.
 */
export interface SecretHit {
  file: string;
  line: number;
  /** What was found, e.g. "private key"; safe to print. */
  kind: string;
}

const TOKEN_PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'private key (PEM)', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** Field names whose literal value is a secret (anchored at the end: `token_file`, `secret_name` are fine). */
const SECRET_KEY = /(?:^|[_.-])(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|client[_-]?secret|access[_-]?key|identity[_-]?file(?:[_-]?base64)?|key[_-]?base64)$/i;
// `key: value` (YAML), `"key": "value"` (JSON), `key = "value"` (TOML/INI embedded in a JSON string)
const KEY_VALUE = /^\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;

function isLiteralSecret(raw: string): boolean {
  let v = raw.trim();
  if (v.startsWith('#')) return false;
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q as string) && v.length >= 2) v = v.slice(1, -1);
  if (v.length < 8) return false;
  if (v === '|' || v === '>' || v.startsWith('|') || v.startsWith('>')) return false; // block scalar header; content is scanned by the token patterns
  if (/^[[{]/.test(v)) return false; // nested value
  if (v.includes('${') || v.includes('{{') || v.startsWith('$')) return false; // Terraform / template / env reference
  if (/^(?:\/|\.\/|~\/|<|file:|env:|vault:|arn:|projects\/)/.test(v)) return false; // paths, placeholders, references
  if (/^(?:true|false|null|yes|no|REDACTED|\*+)$/i.test(v) || /^[0-9.]+$/.test(v)) return false;
  return true;
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
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const p of TOKEN_PATTERNS) {
      if (p.re.test(line)) out.push({ file, line: i + 1, kind: p.kind });
    }
    // a JSON string may embed a whole config file: scan its lines too
    const pieces = line.includes('\\n') ? [line, ...line.split('\\n').map((p) => p.replace(/\\"/g, '"'))] : [line];
    for (const piece of pieces) {
      const kv = KEY_VALUE.exec(piece);
      if (kv && SECRET_KEY.test(kv[1] as string) && isLiteralSecret(kv[2] as string) && !out.some((h) => h.line === i + 1)) {
        out.push({ file, line: i + 1, kind: `literal value of secret field "${kv[1]}"` });
      }
    }
  });
  if (opts.terraform) {
    for (const h of terraformSecretHits(text, file)) if (!out.some((o) => o.line === h.line)) out.push(h);
  }
  return out;
}
