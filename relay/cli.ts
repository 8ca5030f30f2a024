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

/** How long SIGTERM waits for posts in flight before exiting anyway (the Go plugin uses 15 s). */
const SHUTDOWN_TIMEOUT_MS = 15_000;

function fail(err: unknown, io: NodeJS.WritableStream = process.stderr): void {
  if (err instanceof ConfigErrors) io.write(`dualauth relay: ${err.message}\n`);
  else if (err instanceof ConfigError) io.write(`dualauth relay: invalid configuration: ${err.message}\n`);
  else io.write(`dualauth relay: ${(err as Error)?.message ?? String(err)}\n`);
  process.exitCode = 1;
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

export async function runCheckConfig(file: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  try {
    const { config, warnings } = loadRelayConfig(file);
    const creds = await loadTeleportCredentials(config);
    new Messages({ templatesDir: config.relay.templatesDir });
    for (const w of warnings) out.write(`warning: ${w}\n`);
    out.write(`${file}: OK (Teleport ${config.teleport.addr} as ${creds.user || 'unknown user'}, certificate valid until ${creds.notAfter.toISOString()}; Mattermost ${config.mattermost.url})\n`);
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
