import { Command, Option } from 'commander';
import { configFrom, ReviewCliOptions } from './review';

interface AccessCliOptions extends Pick<ReviewCliOptions, 'config' | 'privilegedRole' | 'privilegedLogin' | 'privilegedLabel'> {
  user?: string;
  format: 'text' | 'json' | 'markdown';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `dualauth access ROLE [PATHS...]`: who can obtain a role, with how many people (kubectl auth can-i, for two people). */
export function registerAccess(program: Command): void {
  program
    .command('access')
    .description('who can obtain ROLE and with how many people: holders, requesters, reviewers, and every path needing fewer people than the policy wants')
    .argument('<role>', 'the role to prove, e.g. dbadmin')
    .argument('[paths...]', 'stack output directories or Teleport YAML files, as for `dualauth review` (default cdktf.out)')
    .option('--user <name>', 'only this user (or bot/<name>): their cheapest path')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--config <file>', 'review configuration (JSON or YAML), as for `dualauth review`')
    .option('--privileged-role <name>', 'treat this role as privileged; repeatable', collect, [])
    .option('--privileged-login <login>', 'roles allowing this login are privileged (default root); repeatable', collect, [])
    .option('--privileged-label <name=value>', 'roles with this label are privileged; repeatable', collect, [])
    .addHelpText('after', '\nExit codes: 0 the two-person rule holds, 1 one person can obtain the role alone, 2 bad input.')
    .action((role: string, paths: string[], opts: AccessCliOptions) => {
      const { queryAccess } = require('../../policies/access-query') as typeof import('../../policies/access-query');
      const { formatAccess } = require('../../policies/access-format') as typeof import('../../policies/access-format');
      const { InputError } = require('../../policies/input-error') as typeof import('../../policies/input-error');
      try {
        const config = configFrom({ ...opts, suppressions: [], format: 'text', failOn: 'error' } as ReviewCliOptions);
        const result = queryAccess({ paths: paths.length ? paths : ['cdktf.out'], role, user: opts.user, config });
        process.stdout.write(formatAccess(result, opts.format));
        process.exitCode = result.broken ? 1 : 0;
      } catch (err) {
        if (err instanceof InputError || (err instanceof Error && /^(maxSessionTtl|minApprovals)/.test(err.message))) {
          process.stderr.write(`dualauth access: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}
