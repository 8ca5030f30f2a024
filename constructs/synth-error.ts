/**
 * The text of a failed synthesis, as every synth path prints it (`dualauth synth`, `npm run synth`,
 * `cdktf synth`): cdktf's advice to pass `skipValidation: true` is dropped (it would bypass exactly the
 * checks that keep a broken or unsafe stack from being written), and secrets are scrubbed.
 */
import { scrubSecrets } from '../model/secret-scrub';

const SKIP_VALIDATION_HINT = /\n*\s*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.?\s*/g;

export function formatSynthError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return scrubSecrets(message.replace(SKIP_VALIDATION_HINT, '\n')).replace(/\n+$/, '');
}
