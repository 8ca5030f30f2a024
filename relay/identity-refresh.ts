/**
 * `refresh_identity`: picks up a rotated identity file (tbot, a re-signed `tctl auth sign`) without a
 * restart. The Go plugin re-reads the file every `refresh_identity_interval`; we do that too, and also
 * watch the file's directory so a rotation is noticed within milliseconds (Kubernetes swaps a Secret's
 * files by renaming a symlink, which a directory watch sees). When the credentials really changed, the
 * clients switch: calls from then on use the new certificate; streams already open finish on the old one.
 *
 * A new identity must pass identityRefreshProblem (identity-check.ts): it parses, is valid now, its
 * key matches, and a CA of the working identity signed it. Otherwise (half-written, expired, another
 * cluster's) it is refused with a warning and onRejected (a metric), and the working one stays in use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from './log';
import { readIdentityFile } from '../teleport-client/identity-file';
import { identityRefreshProblem } from './identity-check';
import { credentialsFingerprint, credentialsFromIdentity, type TeleportCredentials } from '../teleport-client/tls';

export interface IdentityRefresherOptions {
  file: string;
  intervalMs: number;
  /** Called with the new credentials when they changed; should switch the clients. */
  onChange: (creds: TeleportCredentials) => Promise<void> | void;
  log: Logger;
  /** The credentials in use at start. */
  initial: TeleportCredentials;
  /** A new file was refused (metric). */
  onRejected?: (reason: string) => void;
  /** Asks Teleport whether it accepts the new credentials (a Ping with them); throws when not. */
  probe?: (creds: TeleportCredentials) => Promise<void>;
}

export class IdentityRefresher {
  private fingerprint: string;
  private current: TeleportCredentials;
  /** The fingerprint last refused, so one bad file is reported once, not on every interval. */
  private refused = '';
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  reloads = 0;

  constructor(private readonly o: IdentityRefresherOptions) {
    this.fingerprint = credentialsFingerprint(o.initial);
    this.current = o.initial;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.o.intervalMs);
    this.timer.unref();
    try {
      this.watcher = fs.watch(path.dirname(this.o.file), { persistent: false }, () => {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.check(), 20);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No inotify (some file systems): the interval alone does it, as in the Go plugin.
    }
  }

  /** Re-reads the file now; switches the clients when the credentials changed. */
  check(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          let creds: TeleportCredentials;
          try {
            creds = credentialsFromIdentity(await readIdentityFile(this.o.file));
          } catch (e) {
            this.o.log.warn('Could not reload the identity file; keeping the current credentials', { file: this.o.file, error: e });
            this.o.onRejected?.('unreadable');
            return;
          }
          const fp = credentialsFingerprint(creds);
          if (fp === this.fingerprint) continue;
          let problem = identityRefreshProblem(creds, this.current);
          if (!problem && this.o.probe) {
            try {
              await this.o.probe(creds);
            } catch (e) {
              problem = `Teleport does not accept it (${(e as Error).message})`;
            }
          }
          if (problem) {
            if (fp !== this.refused) {
              this.refused = fp;
              this.o.log.warn(`The rotated identity file was refused: ${problem}; keeping the identity in use`, { file: this.o.file });
              this.o.onRejected?.(problem);
            }
            continue;
          }
          await this.o.onChange(creds);
          this.fingerprint = fp;
          this.current = creds;
          this.reloads++;
          this.o.log.info('Identity file changed; new calls use the new certificate', { file: this.o.file });
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.watcher?.close();
  }
}
