/**
 * A child process that runs `dualauth` commands in-process on request (IPC), one at a time, each as a
 * fresh CLI run would: its own environment, no secrets registered by an earlier command, output
 * captured. Only the parent test talks to it, so capturing stdout here hides nothing of the test runner.
 */
import { main } from '../../cli/main';
import { clearRegisteredSecrets } from '../../model/secret-scrub';

interface Request {
  id: number;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

const baseEnv = { ...process.env };
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

let queue = Promise.resolve();
process.on('message', (req: Request) => {
  queue = queue.then(async () => {
    clearRegisteredSecrets();
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, baseEnv, req.env);
    let stdout = '';
    let stderr = '';
    process.stdout.write = ((c: string | Uint8Array) => ((stdout += c.toString()), true)) as typeof process.stdout.write;
    process.stderr.write = ((c: string | Uint8Array) => ((stderr += c.toString()), true)) as typeof process.stderr.write;
    process.exitCode = 0;
    const cwd = process.cwd();
    let crash: string | undefined;
    try {
      if (req.cwd) process.chdir(req.cwd);
      await main(['node', 'dualauth', ...req.args]);
    } catch (err) {
      // what bin/dualauth.js does with an error main() lets through
      crash = `dualauth: ${(err as Error)?.message ?? String(err)}\n`;
    } finally {
      process.chdir(cwd);
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    const code = crash ? 1 : Number(process.exitCode ?? 0);
    process.exitCode = 0;
    process.send!({ id: req.id, code, stdout, stderr: stderr + (crash ?? '') });
  });
});
