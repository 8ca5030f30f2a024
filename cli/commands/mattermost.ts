import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { applyBotPlan, BotReconcileError, formatPlan, planBot, type BotPlan } from '../../mattermost-bot/reconcile';
import { BotSpecError, parseBotSpec, type MattermostBotSpec } from '../../mattermost-bot/bot-spec';
import { createMattermostApi, MattermostApiError, normaliseSiteUrl, type RetryPolicy } from '../../mattermost-client/client';
import { assertSecretFileWritable, writeSecretFile } from '../../mattermost-bot/secret-file';
import { registerSecret, scrubSecrets } from '../../model/secret-scrub';

const EXIT_OK = 0;
const EXIT_APPLY_FAILED = 1;
const EXIT_BAD_INPUT = 2;
const TOKEN_ENV = 'MATTERMOST_TOKEN';

export interface MattermostApplyOptions {
  bot: string;
  url: string;
  dryRun?: boolean;
  createToken?: boolean;
  tokenOut?: string;
}

export interface CommandIO {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Retry policy override (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
}

export function registerMattermost(program: Command): void {
  // exitOverride here too: main() sets it on the root after the subcommands exist, so they would not inherit
  // it, and a usage error would exit 1 instead of the documented 2.
  const mattermost = program
    .command('mattermost')
    .description('Provision the Mattermost side: the bot account the Teleport plugin posts as')
    .exitOverride();

  mattermost
    .command('apply')
    .description('Create or update the Mattermost bot described by a bot file, printing the plan first')
    .requiredOption('--bot <file>', 'bot file written by synthesis (cdktf.out/stacks/<stack>/mattermost-bot.json)')
    .requiredOption('--url <url>', 'Mattermost site URL, e.g. https://mattermost.example.com')
    .option('--dry-run', 'print the plan only; change nothing')
    .option('--create-token', 'mint a new bot token (requires --token-out)')
    .option('--token-out <file>', 'write the new bot token to this new file with mode 0600')
    .exitOverride()
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  ${TOKEN_ENV}  token of a Mattermost System Admin (required; read from the environment only)`,
        '',
        'Exit codes: 0 success, 1 server or apply error, 2 bad input',
      ].join('\n'),
    )
    .action(async (opts: MattermostApplyOptions) => {
      process.exitCode = await runMattermostApply(opts, {
        env: process.env,
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
    });
}

/** `dualauth mattermost apply`; returns the exit code. */
export async function runMattermostApply(opts: MattermostApplyOptions, io: CommandIO): Promise<number> {
  const token = (io.env[TOKEN_ENV] ?? '').trim();
  registerSecret(token);
  // Everything printed goes through the scrubber: the admin token, a minted token, PEM blocks, URL user-info.
  const secrets = [token];
  const fail = (code: number, message: string): number => {
    io.err(scrubSecrets(`dualauth mattermost apply: ${message}`, secrets));
    return code;
  };
  const out = (line: string) => io.out(scrubSecrets(line, secrets));

  if (token === '') {
    return fail(EXIT_BAD_INPUT, `${TOKEN_ENV} is not set: export the token of a Mattermost System Admin in ${TOKEN_ENV} (it is never taken as a flag)`);
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return fail(EXIT_BAD_INPUT, `${TOKEN_ENV} contains spaces or control characters: it must hold the token alone`);
  }
  let url: string;
  try {
    url = normaliseSiteUrl(opts.url);
  } catch (err) {
    return fail(EXIT_BAD_INPUT, `--url: ${(err as Error).message}`);
  }
  if (opts.createToken && !opts.tokenOut) {
    return fail(EXIT_BAD_INPUT, '--create-token needs --token-out FILE: a new token is shown only once and is never printed');
  }
  if (opts.tokenOut && !opts.createToken) {
    return fail(EXIT_BAD_INPUT, '--token-out is only used with --create-token; add --create-token or drop --token-out');
  }
  if (opts.tokenOut) {
    try {
      await assertSecretFileWritable(opts.tokenOut);
    } catch (err) {
      return fail(EXIT_BAD_INPUT, `--token-out: ${(err as Error).message}`);
    }
  }
  let spec: MattermostBotSpec;
  try {
    spec = parseBotSpec(await fs.readFile(opts.bot, 'utf8'), opts.bot);
  } catch (err) {
    if (err instanceof BotSpecError) return fail(EXIT_BAD_INPUT, `--bot ${err.message}`);
    return fail(EXIT_BAD_INPUT, `--bot ${opts.bot}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }

  const api = createMattermostApi({ url, token, userAgent: 'dualauth-mattermost-apply', ...(io.retry ? { retry: io.retry } : {}) });
  let plan: BotPlan;
  try {
    plan = await planBot(api, spec, { createToken: opts.createToken === true });
  } catch (err) {
    return fail(EXIT_APPLY_FAILED, explain(err, url));
  }

  out(`Plan for Mattermost bot "${spec.username}" at ${url}:`);
  for (const line of formatPlan(plan)) out(line);
  for (const note of plan.notes) out(`note: ${note}`);
  if (opts.dryRun) {
    out('Dry run: nothing was changed.');
    return EXIT_OK;
  }
  if (plan.actions.length === 0) return EXIT_OK;

  let result;
  try {
    result = await applyBotPlan(api, plan);
  } catch (err) {
    return fail(EXIT_APPLY_FAILED, `${explain(err, url)}\nThe bot may be partly set up; run apply again to finish.`);
  }
  if (result.token) {
    registerSecret(result.token.token);
    secrets.push(result.token.token);
  }
  out(`Applied ${formatPlan(plan).length} change(s) to bot "${spec.username}" (user id ${result.botUserId}).`);

  if (result.token && opts.tokenOut) {
    try {
      await writeSecretFile(opts.tokenOut, `${result.token.token}\n`);
    } catch (err) {
      return fail(
        EXIT_APPLY_FAILED,
        `the token (id ${result.token.id}) was created but could not be written to ${opts.tokenOut}: ${(err as Error).message}. ` +
          'Revoke it (System Console > Integrations > Bot Accounts) and run apply again.',
      );
    }
    out(`Wrote the new bot token to ${opts.tokenOut} (mode 0600).`);
  }
  return EXIT_OK;
}

function explain(err: unknown, url: string): string {
  if (err instanceof BotReconcileError) {
    if (err.reason === 'unauthorized') {
      const detail = err.apiError ? `: ${err.apiError.message.replace(/\.$/, '')}` : '';
      return `Mattermost rejected the token in ${TOKEN_ENV}${detail}. Use a valid token of an active System Admin.`;
    }
    if (err.apiError?.status === 0) return `cannot reach Mattermost at ${url}: ${err.apiError.serverMessage}`;
    return err.message;
  }
  if (err instanceof MattermostApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
