import { Command, CommanderError } from 'commander';

/**
 * The subcommands, loaded only when used: `dualauth review` loads the review and nothing of cdktf, the
 * relay or drift. Each file under cli/commands/ registers its command; the description here is what
 * `dualauth --help` lists without loading any of them.
 */
const COMMANDS: { name: string; summary: string; load: () => (program: Command) => void }[] = [
  { name: 'init', summary: 'create a dualauth project (cdktf.json, package.json, stacks/main.ts) in DIR', load: () => require('./commands/init').registerInit },
  { name: 'synth', summary: 'run the app of ./cdktf.json as `cdktf synth` does and write its stacks into cdktf.out/', load: () => require('./commands/synth').registerSynth },
  { name: 'review', summary: 'review Teleport roles and users: policy findings and, with --base, the privilege diff', load: () => require('./commands/review').registerReview },
  { name: 'access', summary: 'who can obtain a role and with how many people: exit 1 when one person can obtain it alone', load: () => require('./commands/access').registerAccess },
  { name: 'drift', summary: 'compare a synthesized stack with the live cluster, Mattermost bot and Terraform state', load: () => require('./commands/drift').registerDrift },
  { name: 'relay', summary: 'run the Teleport-to-Mattermost access request relay (drop-in for teleport-mattermost)', load: () => require('./commands/relay').registerRelay },
  { name: 'mattermost', summary: 'provision the Mattermost side: the bot account the Teleport plugin posts as', load: () => require('./commands/mattermost').registerMattermost },
  { name: 'sandbox', summary: 'start the Teleport and Mattermost simulators on loopback with the guide\'s users, to try every command locally', load: () => require('./commands/sandbox').registerSandbox },
];

/** The version, read once from the package (dist/cjs/package.json mirrors it in the compiled CLI). */
export function version(): string {
  return (require('../package.json') as { version: string }).version;
}

/**
 * Builds the `dualauth` command tree. With `argv`, only the subcommand named in it is loaded (the
 * others are listed by name for --help); without, every subcommand is loaded.
 */
export function buildProgram(argv?: string[]): Command {
  const program = new Command('dualauth')
    .description('Dual authorization as code for Teleport: synthesize, review, detect drift, relay to Mattermost')
    .version(version())
    .showHelpAfterError()
    // before the subcommands are added, so they inherit it: usage errors exit 2, not 1
    .exitOverride();
  const args = argv?.slice(2) ?? [];
  const named = args[0] === 'help' ? args[1] : args[0];
  for (const c of COMMANDS) {
    if (!argv || named === c.name) c.load()(program);
    else program.command(c.name).description(c.summary).allowUnknownOption().helpOption(false);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors are bad input (exit 2), as in the review and drift contracts
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    // bin/dualauth.js prints what escapes here: scrub it like every other message
    if (err instanceof Error) err.message = (require('../model/secret-scrub') as typeof import('../model/secret-scrub')).scrubSecrets(err.message);
    throw err;
  }
}
