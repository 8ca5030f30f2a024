/**
 * Where the relay chooses its messenger. A second chat system is one adapter folder beside
 * mattermost/ (implementing relay/messenger.ts, started from the config) and one line in ADAPTERS.
 */
import type { RelayConfig } from '../config/load';
import type { Logger } from '../log';
import type { ConnectedMessenger } from '../messenger';

export type { ConnectedMessenger };
import type { RelayMetrics } from '../metrics';
import type { RetryPolicy } from '../../mattermost-client/client';
import { connectMattermost } from './mattermost/connect';

export interface MessengerStartOptions {
  log: Logger;
  metrics: RelayMetrics;
  /** Retry overrides for the chat API (tests shorten them). */
  retry?: Partial<RetryPolicy>;
}

type Adapter = (config: RelayConfig, o: MessengerStartOptions) => Promise<ConnectedMessenger>;

const ADAPTERS: Record<string, Adapter> = {
  mattermost: connectMattermost,
};

/** The messenger the config names: the Go plugin's config format is Mattermost's, so "mattermost". */
export function connectMessenger(config: RelayConfig, o: MessengerStartOptions, kind = 'mattermost'): Promise<ConnectedMessenger> {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`no messenger adapter named ${JSON.stringify(kind)} (known: ${Object.keys(ADAPTERS).join(', ')})`);
  return adapter(config, o);
}
