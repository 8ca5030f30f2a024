import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { sandboxCommands, startSandbox } from '../../sandbox/sandbox';
import { createRequest, listRequests, readSandboxInfo, reviewRequest } from '../../sandbox/tsh';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${JSON.stringify(value)} is not a port (0-65535; 0 picks a free one)`);
  return n;
}

/** `dualauth sandbox [start]`, and a tsh-like `request`, `review`, `requests` against a running sandbox. */
export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('run the Teleport and Mattermost simulators on loopback with the guide\'s users, to try relay, mattermost apply and drift')
    .exitOverride();

  sandbox
    .command('start', { isDefault: true })
    .description('start the sandbox and print the commands to try against it; Ctrl-C stops it')
    .option('--dir <dir>', 'directory for the stack, relay config, identities and tokens (default: a new temporary one, removed on exit)')
    .option('--teleport-port <port>', 'loopback port of the Teleport simulator (default: any free port)', port)
    .option('--mattermost-port <port>', 'loopback port of the Mattermost simulator (default: any free port)', port)
    .exitOverride()
    .action(async (opts: { dir?: string; teleportPort?: number; mattermostPort?: number }) => {
      const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'dualauth-sandbox-'));
      const sb = await startSandbox({ dir, teleportPort: opts.teleportPort, mattermostPort: opts.mattermostPort });
      out('dualauth sandbox: the Dual Authorization guide on loopback simulators\n');
      for (const line of sandboxCommands(sb.info)) out(line);
      out('\nSandbox running; press Ctrl-C to stop.');
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sb.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      out('Sandbox stopped.');
    });

  sandbox
    .command('request')
    .description('create an access request as a sandbox user (like tsh request create)')
    .requiredOption('--dir <dir>', 'the running sandbox\'s directory')
    .requiredOption('--user <user>', 'who asks, e.g. bob@example.com')
    .requiredOption('--roles <roles>', 'comma-separated roles, e.g. dbadmin')
    .option('--reason <text>', 'why')
    .exitOverride()
    .action(async (o: { dir: string; user: string; roles: string; reason?: string }) => {
      const roles = o.roles.split(',').map((r) => r.trim()).filter(Boolean);
      const req = await createRequest(readSandboxInfo(o.dir), o.user, roles, o.reason);
      out(`Request ${req.id} by ${req.user} for ${req.roles.join(', ')} is ${req.state}`);
    });

  sandbox
    .command('review')
    .description('review an access request as a sandbox user (like tsh request review)')
    .argument('<request-id>')
    .requiredOption('--dir <dir>', 'the running sandbox\'s directory')
    .requiredOption('--user <user>', 'the reviewer, e.g. alice@example.com')
    .option('--approve', 'approve the request')
    .option('--deny', 'deny the request')
    .option('--reason <text>', 'why')
    .exitOverride()
    .action(async (id: string, o: { dir: string; user: string; approve?: boolean; deny?: boolean; reason?: string }) => {
      if (Boolean(o.approve) === Boolean(o.deny)) throw new Error('give exactly one of --approve and --deny');
      const req = await reviewRequest(readSandboxInfo(o.dir), o.user, id, o.approve ? 'APPROVED' : 'DENIED', o.reason);
      out(`Request ${req.id} is ${req.state}`);
    });

  sandbox
    .command('requests')
    .description('list the access requests (like tsh request ls)')
    .requiredOption('--dir <dir>', 'the running sandbox\'s directory')
    .exitOverride()
    .action(async (o: { dir: string }) => {
      for (const r of await listRequests(readSandboxInfo(o.dir))) out(`${r.id}  ${r.user}  ${r.roles.join(',')}  ${r.state}`);
    });
}
