import { Command, Option } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import type { PolicyConfigInput } from '../../model/rules/config';
import type { Severity } from '../../policies/types';

export interface ReviewCliOptions {
  base?: string[];
  format: string;
  failOn: Severity;
  output?: string;
  suppressions: string[];
  config?: string;
  privilegedRole: string[];
  privilegedLogin: string[];
  privilegedLabel: string[];
  maxSessionTtl?: string;
  newOnly?: boolean;
  maxBytes?: string;
  linkBase?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads --config (JSON or YAML) and merges the privileged-role flags over it. */
export function configFrom(opts: ReviewCliOptions): PolicyConfigInput {
  const { InputError } = require('../../policies/input-error') as typeof import('../../policies/input-error');
  const { configProblems } = require('../../policies/schemas') as typeof import('../../policies/schemas');
  let cfg: PolicyConfigInput = {};
  if (opts.config) {
    let text: string;
    try {
      text = fs.readFileSync(opts.config, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read config ${opts.config}: ${(err as Error).message}`);
    }
    let value: unknown;
    try {
      // the model's bounded reader (size, aliases, depth), as for every other YAML input
      const { parseYamlDocuments } = require('../../model/yaml') as typeof import('../../model/yaml');
      value = /\.json$/i.test(opts.config) ? JSON.parse(text) : parseYamlDocuments(text, opts.config)[0]?.value;
    } catch (err) {
      const msg = (err as Error).message.split('\n')[0] as string;
      throw new InputError(msg.startsWith(`${opts.config}:`) ? `${msg} (--config)` : `${opts.config}: malformed config: ${msg}`);
    }
    const problems = configProblems(value);
    if (problems.length > 0) throw new InputError(`${opts.config}: invalid config: ${problems.join('; ')}`);
    cfg = value as PolicyConfigInput;
  }
  const privileged = { ...(cfg.privileged ?? {}) };
  if (opts.privilegedRole.length) privileged.names = [...(privileged.names ?? []), ...opts.privilegedRole];
  if (opts.privilegedLogin.length) privileged.logins = [...(privileged.logins ?? ['root']), ...opts.privilegedLogin];
  if (opts.privilegedLabel.length) {
    const labels: Record<string, string> = { ...(privileged.labels ?? { privileged: 'true' }) };
    for (const l of opts.privilegedLabel) {
      const i = l.indexOf('=');
      if (i <= 0) throw new InputError(`--privileged-label ${JSON.stringify(l)}: expected NAME=VALUE`);
      labels[l.slice(0, i)] = l.slice(i + 1);
    }
    privileged.labels = labels;
  }
  return { ...cfg, privileged, ...(opts.maxSessionTtl ? { maxSessionTtl: opts.maxSessionTtl } : {}) };
}

/** `dualauth review`: what a change does to who can do what, and whether it is safe. */
export function registerReview(program: Command): void {
  program
    .command('review')
    .description('review Teleport roles and users (a stack output directory or YAML files): policy findings and, with --base, the privilege diff')
    .argument('<paths...>', 'stack output directories (cdktf.out/stacks/<stack>) or Teleport YAML files, e.g. a `tctl get roles,users` dump')
    .option('--base <paths...>', 'the same for the target branch; the review then reports what changed (put it after PATH)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'markdown', 'json', 'sarif', 'github']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the review (exit 1)').choices(['error', 'warning', 'note']).default('error'))
    .option('--output <file>', 'write the report to FILE instead of standard output')
    .option('--suppressions <file>', 'suppressions file (JSON or YAML, {"suppressions": [...]}); repeatable', collect, [])
    .option('--config <file>', 'review configuration (JSON or YAML): privileged, maxSessionTtl, minApprovals, minDenials, pluginRoles, externalRoles')
    .option('--privileged-role <name>', 'treat this role as privileged; repeatable', collect, [])
    .option('--privileged-login <login>', 'roles allowing this login are privileged (default root); repeatable', collect, [])
    .option('--privileged-label <name=value>', 'roles with this label are privileged (default privileged=true); repeatable', collect, [])
    .option('--max-session-ttl <duration>', 'bound for max_session_ttl of privileged roles (default 8h)')
    .option('--new-only', 'with --base: fail only on findings the base does not have')
    .option('--max-bytes <n>', 'size limit of the markdown report (default 65536, a PR comment; 1048576 for a step summary)')
    .option('--link-base <url>', 'markdown: link file:line to URL + file + #Lline, e.g. https://github.com/o/r/blob/<sha>/')
    .addHelpText('after', '\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input.')
    .action((paths: string[], opts: ReviewCliOptions) => {
      // loaded lazily so other subcommands do not pay for the rule pack
      const { review, exitCodeFor } = require('../../policies/review') as typeof import('../../policies/review');
      const { formatReport } = require('../../policies/report') as typeof import('../../policies/report');
      const { InputError } = require('../../policies/input-error') as typeof import('../../policies/input-error');
      try {
        const maxBytes = opts.maxBytes === undefined ? undefined : Number(opts.maxBytes);
        if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 4096)) throw new InputError('--max-bytes must be a whole number of at least 4096');
        let config: PolicyConfigInput;
        try {
          config = configFrom(opts);
          const { resolveConfig } = require('../../model/rules/config') as typeof import('../../model/rules/config');
          resolveConfig(config);
        } catch (err) {
          throw err instanceof InputError ? err : new InputError((err as Error).message);
        }
        const result = review({ paths, basePaths: opts.base, suppressionFiles: opts.suppressions, config });
        const reportOpts = { failOn: opts.failOn, newOnly: !!opts.newOnly, maxBytes, linkBase: opts.linkBase };
        const text = formatReport(result, opts.format as 'text', reportOpts);
        if (opts.output) {
          fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
          fs.writeFileSync(opts.output, text);
        } else {
          process.stdout.write(text);
        }
        process.exitCode = exitCodeFor(result, opts.failOn, !!opts.newOnly);
      } catch (err) {
        if (err instanceof InputError) {
          process.stderr.write(`dualauth review: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}
