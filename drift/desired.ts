/**
 * What the repository says, read from a synthesized stack directory (e.g. cdktf.out/stacks/dual-authorization):
 * teleport.yaml (roles and users, required), mattermost-bot.json (optional) and whether Terraform can run there.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { checkYamlDocumentCount, checkYamlText, checkYamlValue, kindModel, parseYamlDocuments, resourceKey, TeleportResource, YamlInputError } from '../model';
import { BotSpecError, MattermostBotSpec, parseBotSpec } from '../mattermost-bot/bot-spec';
import { DriftInputError } from './types';

export const TELEPORT_FILE = 'teleport.yaml';
export const BOT_FILE = 'mattermost-bot.json';
export const TERRAFORM_FILE = 'cdk.tf.json';

export interface DesiredStack {
  dir: string;
  teleport: TeleportResource[];
  /** Undefined when the stack has no mattermost-bot.json. */
  bot?: MattermostBotSpec;
  /** True when cdk.tf.json (or another *.tf / *.tf.json) is in the directory. */
  hasTerraformConfig: boolean;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DriftInputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The first problem of one document, or undefined. */
function documentProblem(v: unknown, seen: Set<string>): string | undefined {
  const d = v as { kind?: unknown; metadata?: { name?: unknown } } | null;
  if (!d || typeof d !== 'object' || typeof d.kind !== 'string' || !kindModel(d.kind)) {
    return `not a Teleport role or user (kind ${JSON.stringify(d?.kind)}): drift compares kinds role and user`;
  }
  if (typeof d.metadata?.name !== 'string' || d.metadata.name === '') return `${d.kind} without metadata.name`;
  const key = resourceKey(d as TeleportResource);
  if (seen.has(key)) return `${key} is declared twice`;
  seen.add(key);
  return undefined;
}

/** Line-aware second pass, only when something is wrong: errors name file and line. */
function describeProblem(text: string, file: string): DriftInputError {
  let docs;
  try {
    docs = parseYamlDocuments(text, file);
  } catch (err) {
    if (err instanceof YamlInputError) return new DriftInputError(`${err.message}: re-run synthesis (npm run synth) to regenerate it`);
    throw err;
  }
  const seen = new Set<string>();
  for (const d of docs) {
    const p = documentProblem(d.value, seen);
    if (p) return new DriftInputError(`${file}:${d.line}: ${p}`);
  }
  return new DriftInputError(`${file}: cannot be read as Teleport YAML: re-run synthesis (npm run synth) to regenerate it`);
}

/** Resources of teleport.yaml, each a known kind with a name; duplicates are an error. */
export function parseDesiredTeleport(text: string, file: string): TeleportResource[] {
  // js-yaml first: several times faster than the line-aware parser on large stacks (11,000 resources).
  let docs: unknown[];
  try {
    checkYamlText(text, file);
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA });
    checkYamlDocumentCount(docs.length, file);
    docs.forEach((d, i) => checkYamlValue(d, `${file} (document ${i + 1})`));
  } catch (err) {
    if (err instanceof YamlInputError) throw new DriftInputError(`${err.message}: re-run synthesis (npm run synth) to regenerate it`);
    throw describeProblem(text, file);
  }
  const seen = new Set<string>();
  const out: TeleportResource[] = [];
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    if (documentProblem(d, seen)) throw describeProblem(text, file);
    out.push(d as TeleportResource);
  }
  return out;
}

export async function readDesiredStack(dir: string): Promise<DesiredStack> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st || !st.isDirectory()) {
    throw new DriftInputError(`STACK_DIR ${dir} is not a directory: give a synthesized stack such as cdktf.out/stacks/dual-authorization (run npm run synth first)`);
  }
  const teleportFile = path.join(dir, TELEPORT_FILE);
  const text = await readOptional(teleportFile);
  if (text === undefined) {
    throw new DriftInputError(`${teleportFile} is missing: STACK_DIR must be a synthesized stack directory (run npm run synth, then pass cdktf.out/stacks/<stack>)`);
  }
  const teleport = parseDesiredTeleport(text, teleportFile);

  const botFile = path.join(dir, BOT_FILE);
  const botText = await readOptional(botFile);
  let bot: MattermostBotSpec | undefined;
  if (botText !== undefined) {
    try {
      bot = parseBotSpec(botText, botFile);
    } catch (err) {
      if (err instanceof BotSpecError) throw new DriftInputError(err.message);
      throw err;
    }
  }

  const entries = await fs.readdir(dir);
  const hasTerraformConfig = entries.some((e) => e.endsWith('.tf') || e.endsWith('.tf.json'));
  return { dir, teleport, bot, hasTerraformConfig };
}
