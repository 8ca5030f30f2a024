/**
 * Terraform evaluates `${...}` and `%{...}` in every string of cdk.tf.json. Text we put there verbatim
 * (a rendered config file, a shell command, a URL from settings) must escape them as `$${` and `%%{`.
 * Only for literal text: cdktf tokens (references to other resources) must stay unescaped.
 */
export function terraformLiteral(s: string): string {
  // replacer functions: in a replacement string "$$" would itself mean "$"
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** terraformLiteral over the values of a string map. */
export function terraformLiteralMap(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}
