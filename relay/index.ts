/**
 * The relay daemon's one entry for the rest of the project: the CLI registers its commands from here,
 * and the sandbox starts it from here. Nothing outside relay/ imports any other file of relay/ (the
 * lint rule in eslint.config.mjs keeps it so), so the daemon's insides can change freely.
 */
export { registerRelayCommands } from './cli';
export { startRelay, type RelayHandle, type StartOptions } from './app';
export { parseRelayConfig, type RelayConfig } from './config/load';
export { createLogger, type Logger } from './log';
