import { Command, CommanderError, Option } from 'commander';
import { renderJson } from '../../drift/report/json';
import { renderMarkdown } from '../../drift/report/markdown';
import { renderText } from '../../drift/report/text';
import { DriftOptions, runDrift, TeleportSource } from '../../drift/run';
import { hideSecretFields, scrub } from '../../drift/secrets';
import { describeValue, registerSecret, secretKind, withoutUserInfo } from '../../model/secret-scrub';
import { DriftInputError, DriftReport } from '../../drift/types';
import { parseIgnorePattern } from '../../drift/unmanaged';

const TOKEN_ENV = 'MATTERMOST_TOKEN';
const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export interface DriftCliOptions {
  teleportAddr?: string;
  identity?: string;
  teleportCluster?: string;
  live?: string;
  mattermostUrl?: string;
  format: Format;
  ignore: string[];
  defaultIgnores: boolean;
  failOnUnmanaged?: boolean;
  skipTerraform?: boolean;
}

export interface DriftIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

const RENDER: Record<Format, (r: DriftReport) => string> = { text: renderText, json: renderJson, markdown: renderMarkdown };

/** Flags to DriftOptions; throws DriftInputError naming the flag and the fix. */
export function driftOptionsFrom(stackDir: string, o: DriftCliOptions, env: NodeJS.ProcessEnv): DriftOptions {
  const grpc = o.teleportAddr !== undefined || o.identity !== undefined;
  if (grpc && o.live !== undefined) throw new DriftInputError('give either --teleport-addr with --identity, or --live DUMP.yaml, not both');
  let teleport: TeleportSource;
  if (o.live !== undefined) {
    if (o.teleportCluster) throw new DriftInputError('--teleport-cluster goes with --teleport-addr, not --live');
    teleport = { kind: 'dump', file: o.live };
  } else if (grpc) {
    if (!o.teleportAddr) throw new DriftInputError('--identity needs --teleport-addr HOST:PORT (the Auth service, e.g. teleport.example.com:3025)');
    if (!o.identity) throw new DriftInputError('--teleport-addr needs --identity FILE (from tctl auth sign --format=file)');
    if (!/^[^\s/]+:\d{1,5}$/.test(o.teleportAddr)) throw new DriftInputError(`--teleport-addr ${JSON.stringify(o.teleportAddr)} is not HOST:PORT, e.g. teleport.example.com:3025`);
    teleport = { kind: 'grpc', addr: o.teleportAddr, identityFile: o.identity, ...(o.teleportCluster ? { proxyCluster: o.teleportCluster } : {}) };
  } else {
    throw new DriftInputError('say where the live Teleport resources come from: --teleport-addr HOST:PORT --identity FILE, or --live DUMP.yaml (from tctl get roles,users)');
  }
  let mattermost: DriftOptions['mattermost'];
  if (o.mattermostUrl !== undefined) {
    const token = (env[TOKEN_ENV] ?? '').trim();
    if (token === '') throw new DriftInputError(`--mattermost-url needs a token in ${TOKEN_ENV} (read from the environment only, never from a flag)`);
    if (!/^https?:\/\/[^\s]+$/.test(o.mattermostUrl)) throw new DriftInputError(`--mattermost-url ${describeValue(o.mattermostUrl)} is not an http(s) URL, e.g. https://mattermost.example.com`);
    if (secretKind(o.mattermostUrl)?.startsWith('a URL with')) {
      throw new DriftInputError(`--mattermost-url carries credentials (user-info before "@"): give ${JSON.stringify(withoutUserInfo(o.mattermostUrl))} and the token in ${TOKEN_ENV}`);
    }
    mattermost = { url: o.mattermostUrl, token };
  }
  for (const p of o.ignore) {
    try {
      parseIgnorePattern(p);
    } catch (err) {
      throw new DriftInputError((err as Error).message);
    }
  }
  return {
    stackDir,
    teleport,
    mattermost,
    ignore: o.ignore,
    defaultIgnores: o.defaultIgnores,
    failOnUnmanaged: o.failOnUnmanaged ?? false,
    terraform: !o.skipTerraform,
    env,
  };
}

/** Runs the command; returns the exit code (0 no drift, 2 drift, 1 error). Output is scrubbed of secrets. */
export async function driftCommand(stackDir: string, o: DriftCliOptions, io: DriftIo): Promise<number> {
  const secrets = [io.env[TOKEN_ENV]?.trim()];
  registerSecret(secrets[0]);
  const err = (m: string) => io.stderr(scrub(`dualauth drift: error: ${m}\n`, secrets));
  try {
    const report = hideSecretFields(await runDrift(driftOptionsFrom(stackDir, o, io.env)));
    io.stdout(scrub(RENDER[o.format](report), secrets));
    for (const s of report.sections) if (s.state === 'error') err(`${s.system}: ${s.reason}`);
    return report.exitCode;
  } catch (e) {
    if (e instanceof DriftInputError) {
      err(e.message);
      return 1;
    }
    err((e as Error)?.message ?? String(e));
    return 1;
  }
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('Compare a synthesized stack with the live Teleport cluster, Mattermost bot and Terraform state (exit 0 no drift, 2 drift, 1 error)')
    .argument('<STACK_DIR>', 'synthesized stack directory, e.g. cdktf.out/stacks/dual-authorization')
    .option('--teleport-addr <HOST:PORT>', 'Teleport Auth service to read roles and users from over gRPC')
    .option('--identity <FILE>', 'identity file (tctl auth sign --format=file) whose roles may list and read roles and users')
    .option('--teleport-cluster <NAME>', 'reach Auth through a Proxy with TLS routing: the cluster name')
    .option('--live <DUMP>', 'read the live roles and users from a `tctl get roles,users` dump (YAML or JSON) instead of gRPC')
    .option('--mattermost-url <URL>', `also compare the bot of mattermost-bot.json against this server (token from ${TOKEN_ENV})`)
    .addOption(new Option('--format <FORMAT>', 'report format').choices([...FORMATS]).default('text'))
    .option('--ignore <PATTERN>', 'ignore unmanaged resources matching NAME or KIND/NAME (globs * ?); repeatable', collect, [] as string[])
    .option('--no-default-ignores', 'do not ignore Teleport presets (editor, access, auditor, origin=defaults) and system users (bot-*, @teleport-*)')
    .option('--fail-on-unmanaged', 'count unmanaged resources as drift (exit 2)')
    .option('--skip-terraform', 'do not run terraform plan -refresh-only')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  ${TOKEN_ENV}  token of a Mattermost System Admin, with --mattermost-url (never taken as a flag)`,
        '',
        'Exit codes: 0 no drift, 2 drift, 1 error (as terraform plan -detailed-exitcode).',
      ].join('\n'),
    )
    // Usage errors are errors (1), not drift (2): exit here rather than let the caller map them.
    .exitOverride((e: CommanderError) => {
      if (e.exitCode === 0) throw e;
      process.exit(1);
    })
    .action(async (stackDir: string, opts: DriftCliOptions) => {
      process.exitCode = await driftCommand(stackDir, opts, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
        env: process.env,
      });
    });
}
