import { scanSecrets } from '../secrets';
import { PolicyRule, RawFinding } from '../types';

/** No secret material in the reviewed files; reported by kind and line, never by value. */
export const noSecrets: PolicyRule = {
  id: 'DA-009',
  name: 'no-secret-material',
  severity: 'error',
  control: 'IA-5',
  description: 'The reviewed files (Teleport YAML, cdk.tf.json, suppression files) contain no secret material: keys, tokens, passwords, literal Kubernetes Secret data.',
  fix: 'Remove the value from the file and rotate it; reference it instead (Terraform variable, Kubernetes Secret created out of band, tbot identity).',
  check({ input }) {
    const out: RawFinding[] = [];
    for (const f of input.files) {
      const seen = new Map<string, number>();
      for (const hit of scanSecrets(f.path, f.text, { terraform: f.kind === 'terraform' })) {
        const n = (seen.get(hit.kind) ?? 0) + 1;
        seen.set(hit.kind, n);
        out.push({ resource: `file/${f.path}`, file: f.path, line: hit.line, key: `${hit.kind}#${n}`, message: `${hit.kind} (value not shown): remove it from the file and rotate it` });
      }
    }
    return out;
  },
};
