/**
 * `dualauth drift`: reads the stack, asks Teleport, Mattermost and Terraform (in parallel), and builds the
 * report and its exit code (0 no drift, 2 drift, 1 error). A section that cannot answer is an error, not
 * "no drift"; a section that does not apply (no bot file, Terraform not initialised) is skipped with the reason.
 */
import { readDesiredStack } from './desired';
import { compareMattermostBot } from './mattermost';
import { LiveTeleport, readLiveDump, readLiveGrpc } from './live-teleport';
import { compareTeleport } from './teleport';
import { terraformDrift } from './terraform';
import { ignoreMatcher } from './unmanaged';
import { countFindings, DriftInputError, DriftReport, emptyCounts, SectionResult, SystemName } from './types';

export type TeleportSource =
  | { kind: 'grpc'; addr: string; identityFile: string; proxyCluster?: string; timeoutMs?: number }
  | { kind: 'dump'; file: string };

export interface DriftOptions {
  stackDir: string;
  teleport: TeleportSource;
  /** Compare the bot of mattermost-bot.json against this server. */
  mattermost?: { url: string; token: string };
  /** Extra ignore patterns for unmanaged resources (NAME or KIND/NAME, globs). */
  ignore?: string[];
  /** Ignore Teleport's presets and system users (default true). */
  defaultIgnores?: boolean;
  /** Unmanaged resources count as drift. */
  failOnUnmanaged?: boolean;
  /** Run Terraform's refresh-only plan where possible (default true). */
  terraform?: boolean;
  env?: NodeJS.ProcessEnv;
}

function errorSection(system: SystemName, err: unknown, source?: string): SectionResult {
  return { system, state: 'error', ...(source ? { source } : {}), reason: (err as Error)?.message ?? String(err), counts: emptyCounts(), findings: [], notes: [] };
}

function skipped(system: SystemName, reason: string): SectionResult {
  return { system, state: 'skipped', reason, counts: emptyCounts(), findings: [], notes: [] };
}

async function timed(fn: () => Promise<SectionResult>): Promise<SectionResult> {
  const t = process.hrtime.bigint();
  const s = await fn();
  s.elapsedMs = Math.round(Number(process.hrtime.bigint() - t) / 1e6);
  return s;
}

export function exitCodeOf(sections: readonly SectionResult[], failOnUnmanaged: boolean): { drift: boolean; exitCode: 0 | 1 | 2 } {
  const drift = sections.some((s) => s.counts.changed + s.counts.missing > 0 || (failOnUnmanaged && s.counts.unmanaged > 0));
  if (sections.some((s) => s.state === 'error')) return { drift, exitCode: 1 };
  return { drift, exitCode: drift ? 2 : 0 };
}

export async function runDrift(o: DriftOptions): Promise<DriftReport> {
  const desired = await readDesiredStack(o.stackDir);
  if (o.mattermost && !desired.bot) {
    throw new DriftInputError(`--mattermost-url was given but ${o.stackDir} has no mattermost-bot.json: synthesize a stack with a Mattermost bot, or drop --mattermost-url`);
  }
  const ignore = ignoreMatcher(o.ignore ?? [], { defaults: o.defaultIgnores ?? true });
  const failOnUnmanaged = o.failOnUnmanaged ?? false;

  const teleport = timed(async () => {
    const source = o.teleport.kind === 'grpc' ? `gRPC ${o.teleport.addr}` : `dump ${o.teleport.file}`;
    let live: LiveTeleport;
    try {
      live = o.teleport.kind === 'grpc' ? await readLiveGrpc(o.teleport, [...new Set(desired.teleport.map((r) => r.kind))]) : await readLiveDump(o.teleport.file);
    } catch (err) {
      return errorSection('teleport', err, source);
    }
    const { counts, findings } = compareTeleport(desired.teleport, live, ignore);
    return { system: 'teleport', state: 'checked', source: live.source, counts, findings, notes: live.notes };
  });

  const mattermost = timed(async () => {
    if (!desired.bot) return skipped('mattermost', 'the stack has no mattermost-bot.json');
    if (!o.mattermost) return skipped('mattermost', 'give --mattermost-url URL (token in MATTERMOST_TOKEN) to compare the bot of mattermost-bot.json');
    const bot = desired.bot;
    const mm = o.mattermost;
    try {
      // Few retries: a CI check should fail fast rather than wait out a long backoff.
      const { createMattermostApi } = require('../mattermost-client/client') as typeof import('../mattermost-client/client');
      const api = createMattermostApi({ url: mm.url, token: mm.token, retry: { maxAttempts: 2, requestTimeoutMs: 15_000 }, userAgent: 'dualauth-drift' });
      const { findings, notes } = await compareMattermostBot(api, bot);
      return { system: 'mattermost', state: 'checked', source: api.url, counts: countFindings(1, findings), findings, notes };
    } catch (err) {
      return errorSection('mattermost', err, mm.url);
    }
  });

  const terraform = timed(async () => {
    if (o.terraform === false) return skipped('terraform', '--skip-terraform');
    if (!desired.hasTerraformConfig) return skipped('terraform', 'the stack has no Terraform configuration');
    try {
      const r = await terraformDrift({ dir: o.stackDir, env: o.env });
      if (r.state === 'skipped') return skipped('terraform', r.reason);
      return { system: 'terraform', state: 'checked', source: 'terraform plan -refresh-only', counts: countFindings(r.managed, r.findings), findings: r.findings, notes: r.notes };
    } catch (err) {
      return errorSection('terraform', err);
    }
  });

  const sections = await Promise.all([teleport, mattermost, terraform]);
  return { stack: o.stackDir, sections, failOnUnmanaged, ...exitCodeOf(sections, failOnUnmanaged) };
}
