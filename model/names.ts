/**
 * Teleport resource names. Teleport rejects names that are empty, contain '/' or whitespace issues in
 * backend keys; we keep to a conservative pattern that also makes safe Terraform and Kubernetes names.
 */

// Letters, digits and . _ @ + - (emails are user names in the guide), 1..253 characters.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,252}$/;

/** System role names that Teleport reserves (lib/services/role.go ValidateRoleName / teleport.go). */
export const RESERVED_ROLE_NAMES: readonly string[] = ['default-implicit-role'];

export function nameProblem(name: unknown, kind: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return `${kind} name is empty: give metadata.name a value`;
  if (!NAME_RE.test(name)) {
    return `${kind} name ${JSON.stringify(name)} is not a valid Teleport name: use letters, digits and . _ @ + - (no spaces or '/'), starting with a letter or digit`;
  }
  if (kind === 'role' && RESERVED_ROLE_NAMES.includes(name)) return `role name ${JSON.stringify(name)} is reserved by Teleport: choose another`;
  return undefined;
}
