/**
 * The relay's commands, shared by `dualauth relay ...` (cli/commands/relay.ts) and the standalone
 * bundle (relay/main.ts, what the container runs):
 *
 *   start --config FILE [--debug]   run until SIGTERM/SIGINT
 *   check-config --config FILE      parse and check the config and the files it names, then exit
 *   configure                       print an example config
 *
 * Exit codes: 0 clean stop, 1 configuration or startup problem (the message names the key), 1 on a
 * fatal runtime error (fail-fast watch loss).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { startRelay, type RelayHandle } from './app';
import { loadTeleportCredentials } from './config/credentials';
import { ConfigError, ConfigErrors } from './config/errors';
import { DEFAULT_CONFIG_PATH, loadRelayConfig, type RelayConfig } from './config/load';
import { createLogger, type Logger } from './log';
import { Messages } from './messages';
import { scrubSecrets } from '../model/secret-scrub';

/** How long SIGTERM waits for posts in flight before exiting anyway (the Go plugin uses 15 s). */
const SHUTDOWN_TIMEOUT_MS = 15_000;

function fail(err: unknown, io: NodeJS.WritableStream = process.stderr): void {
  let text: string;
  if (err instanceof ConfigErrors) text = `dualauth relay: ${err.message}\n`;
  else if (err instanceof ConfigError) text = `dualauth relay: invalid configuration: ${err.message}\n`;
  else text = `dualauth relay: ${(err as Error)?.message ?? String(err)}\n`;
  io.write(scrubSecrets(text));
  process.exitCode = 1;
}

/** The checks after parsing (credentials, templates), each problem collected rather than thrown. */
async function fileProblems(config: RelayConfig, keysWithErrors: ReadonlySet<string>): Promise<{ errors: ConfigError[]; creds?: Awaited<ReturnType<typeof loadTeleportCredentials>> }> {
  const errors: ConfigError[] = [];
  let creds;
  const t = config.teleport;
  const credKeys = ['teleport', 'teleport.identity', 'teleport.client_key', 'teleport.client_crt', 'teleport.root_cas'];
  if ((t.identity || (t.clientKey && t.clientCrt && t.rootCas)) && !credKeys.some((k) => keysWithErrors.has(k))) {
    try {
      creds = await loadTeleportCredentials(config);
    } catch (e) {
      errors.push(e instanceof ConfigError ? e : new ConfigError('teleport', (e as Error).message));
    }
  }
  if (!keysWithErrors.has('relay.templates_dir')) {
    try {
      new Messages({ templatesDir: config.relay.templatesDir });
    } catch (e) {
      errors.push(e instanceof ConfigError ? e : new ConfigError('relay.templates_dir', (e as Error).message));
    }
  }
  return { errors, creds };
}

function load(file: string, debug = false): { config: RelayConfig; log: Logger } {
  const { config, warnings } = loadRelayConfig(file);
  const log = createLogger({ severity: debug ? 'debug' : config.log.severity, output: config.log.output, secrets: [config.mattermost.token.reveal()] });
  for (const w of warnings) log.warn(`Configuration: ${w}`, { config: file });
  return { config, log };
}

export async function runStart(file: string, opts: { debug?: boolean } = {}): Promise<void> {
  let handle: RelayHandle;
  let log: Logger;
  try {
    const loaded = load(file, opts.debug);
    log = loaded.log;
    handle = await startRelay(loaded.config, { log });
  } catch (e) {
    fail(e);
    return;
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (reason: string, code: number) => {
      if (stopping) {
        // A second SIGINT: leave now, posts in flight or not.
        if (reason === 'SIGINT') process.exit(130);
        return;
      }
      stopping = true;
      log.info('Shutting down', { reason });
      const timer = setTimeout(() => {
        log.error('Shutdown timed out; exiting with work in flight', { timeout_ms: SHUTDOWN_TIMEOUT_MS });
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      handle.stop().then(
        async () => {
          clearTimeout(timer);
          process.exitCode = code;
          await log.close();
          resolve();
        },
        (e) => {
          log.error('Error while stopping', { error: e });
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM', 0));
    process.on('SIGINT', () => stop('SIGINT', 0));
    void handle.fatal.then((e) => stop(`fatal: ${e.message}`, 1));
  });
}

/** Checks the config and every file it names, and reports every problem at once (not in stages). */
export async function runCheckConfig(file: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  try {
    let config: RelayConfig;
    let warnings: readonly string[];
    let errors: ConfigError[] = [];
    try {
      ({ config, warnings } = loadRelayConfig(file));
    } catch (e) {
      if (!(e instanceof ConfigErrors) || !e.partial) throw e;
      config = e.partial;
      warnings = e.warnings;
      errors = [...e.errors];
    }
    const more = await fileProblems(config, new Set(errors.map((x) => x.key)));
    errors = [...errors, ...more.errors];
    if (errors.length > 0) throw new ConfigErrors(file, errors, warnings);
    const creds = more.creds!;
    for (const w of warnings) out.write(scrubSecrets(`warning: ${w}\n`));
    out.write(scrubSecrets(`${file}: OK (Teleport ${config.teleport.addr} as ${creds.user || 'unknown user'}, certificate valid until ${creds.notAfter.toISOString()}; Mattermost ${config.mattermost.url})\n`));
  } catch (e) {
    fail(e);
  }
}

export function exampleConfig(): string {
  return fs.readFileSync(path.join(__dirname, 'templates', 'example-config.toml'), 'utf8');
}

/** Adds start, check-config and configure to `cmd`. */
export function registerRelayCommands(cmd: Command): Command {
  cmd
    .command('start')
    .description('run the relay: watch Teleport access requests and notify Mattermost')
    .option('-c, --config <file>', 'path of teleport-mattermost.toml', DEFAULT_CONFIG_PATH)
    .option('-d, --debug', 'log at debug severity, whatever [log] severity says')
    .action((o: { config: string; debug?: boolean }) => runStart(o.config, { debug: o.debug }));
  cmd
    .command('check-config')
    .description('check the config and the files it names (identity, token), then exit')
    .option('-c, --config <file>', 'path of teleport-mattermost.toml', DEFAULT_CONFIG_PATH)
    .action((o: { config: string }) => runCheckConfig(o.config));
  cmd
    .command('configure')
    .description('print an example teleport-mattermost.toml')
    .action(() => {
      process.stdout.write(exampleConfig());
    });
  return cmd;
}
