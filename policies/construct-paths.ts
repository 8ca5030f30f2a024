/**
 * Which construct declared each Teleport resource, from the synthesized metadata: cdktf records the
 * construct path of every resource in cdk.tf.json ("//": {"metadata": {"path": ...}}). A review finding
 * then names the TypeScript to edit, not only the line of the generated teleport.yaml.
 */

/** `kind/name` -> construct path, from the teleport_<kind> resources of a cdk.tf.json; empty if unreadable. */
export function constructPathsFromTerraform(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let tf: { resource?: Record<string, Record<string, unknown>> };
  try {
    tf = JSON.parse(text) as typeof tf;
  } catch {
    return out; // not ours to judge here: the secret scan and Terraform report a broken file
  }
  for (const [type, byName] of Object.entries(tf?.resource ?? {})) {
    if (!type.startsWith('teleport_') || !byName || typeof byName !== 'object') continue;
    const kind = type.slice('teleport_'.length);
    for (const body of Object.values(byName)) {
      const b = body as { metadata?: { name?: unknown }; '//'?: { metadata?: { path?: unknown } } };
      const name = b?.metadata?.name;
      const p = b?.['//']?.metadata?.path;
      if (typeof name === 'string' && typeof p === 'string') out.set(`${kind}/${name}`, p);
    }
  }
  return out;
}
