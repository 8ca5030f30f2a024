// The desired Mattermost bot, as synthesis writes it to cdktf.out/stacks/<stack>/mattermost-bot.json and
// `dualauth mattermost apply --bot FILE` reads it. It holds no secrets: the token is minted on apply.
import Ajv, { type ErrorObject } from 'ajv';
import { didYouMean } from '../model/did-you-mean';

export const BOT_SPEC_API_VERSION = 'dualauth.dev/v1';
export const BOT_SPEC_KIND = 'MattermostBot';

/** System roles a bot may hold: system_user plus at most the post-everywhere or admin role the web UI offers. */
export const BOT_ROLES = ['system_user', 'system_post_all', 'system_post_all_public', 'system_admin'] as const;
export type BotRole = (typeof BOT_ROLES)[number];

export interface MattermostBotSpec {
  apiVersion: typeof BOT_SPEC_API_VERSION;
  kind: typeof BOT_SPEC_KIND;
  /** Mattermost username: lowercase, as the server stores it. */
  username: string;
  displayName: string;
  description: string;
  /** Team names (URL handles) the bot must belong to. */
  teams: string[];
  /**
   * Channels ("team/channel", URL names) the bot must be a member of: those the stack's recipients name. Editing
   * a post needs edit_post, which Mattermost grants only to channel members (system_post_all lets the bot post,
   * not update). Each channel's team must be in `teams`. Left out of the file when empty.
   */
  channels?: string[];
  /** The bot's complete set of system roles; "system_user" is required. */
  roles: BotRole[];
  /** Description given to tokens minted by `apply --create-token`. */
  token?: { description: string };
}

// Server rules: IsValidUsername (1-64 of [a-z0-9.-_], reserved mention words excluded; uppercase is rejected by
// Bot.IsValidCreate before any lowercasing), IsValidTeamName, Bot display name <= 64 runes, description <= 1024,
// token description <= 255. ajv counts string length in code points, like Go's rune counts.
const RESERVED_USERNAMES = ['all', 'channel', 'matterbot', 'system'];
const USERNAME_PATTERN = '^[a-z0-9._-]+$';
const TEAM_NAME_PATTERN = '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$';
const TEAM_CHANNEL_PATTERN = '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?/[a-z0-9][a-z0-9_-]{0,63}$';

export const BOT_SPEC_SCHEMA = {
  $id: 'https://dualauth.dev/schemas/mattermost-bot.json',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'username', 'displayName', 'description', 'teams', 'roles'],
  properties: {
    apiVersion: { const: BOT_SPEC_API_VERSION },
    kind: { const: BOT_SPEC_KIND },
    username: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: USERNAME_PATTERN,
      not: { enum: RESERVED_USERNAMES },
    },
    displayName: { type: 'string', maxLength: 64 },
    description: { type: 'string', maxLength: 1024 },
    teams: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 2, maxLength: 64, pattern: TEAM_NAME_PATTERN },
    },
    channels: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', maxLength: 129, pattern: TEAM_CHANNEL_PATTERN },
    },
    roles: {
      type: 'array',
      uniqueItems: true,
      minItems: 1,
      items: { enum: [...BOT_ROLES] },
      contains: { const: 'system_user' },
    },
    token: {
      type: 'object',
      additionalProperties: false,
      required: ['description'],
      properties: { description: { type: 'string', minLength: 1, maxLength: 255 } },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<MattermostBotSpec>(BOT_SPEC_SCHEMA);

export class BotSpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid Mattermost bot file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BotSpecError';
  }
}

export function parseBotSpec(text: string, fileName: string): MattermostBotSpec {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    throw new BotSpecError(fileName, [`not valid JSON: ${(err as Error).message}`]);
  }
  if (!validate(data)) throw new BotSpecError(fileName, describeErrors(validate.errors ?? []));
  const teamless = (data.channels ?? []).filter((c) => !data.teams.includes(c.split('/')[0] as string));
  if (teamless.length > 0) {
    throw new BotSpecError(
      fileName,
      teamless.map((c) => `channels: "${c}" is in team "${c.split('/')[0]}", which is not in teams: add it to teams (a bot joins a channel only through its team)`),
    );
  }
  return data;
}

/** Stable key order, 2-space indent, trailing newline: byte-identical output for identical specs. */
export function renderBotSpec(spec: MattermostBotSpec): string {
  const ordered: Record<string, unknown> = {
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    username: spec.username,
    displayName: spec.displayName,
    description: spec.description,
    teams: [...spec.teams],
  };
  if (spec.channels && spec.channels.length > 0) ordered.channels = [...spec.channels];
  ordered.roles = [...spec.roles];
  if (spec.token) ordered.token = { description: spec.token.description };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function fieldName(instancePath: string): string {
  if (instancePath === '') return '(top level)';
  return instancePath
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function describeErrors(errors: ErrorObject[]): string[] {
  const lines = errors
    // `contains` reports every non-matching item before its own summary; the summary is enough.
    .filter((e) => !e.schemaPath.includes('/contains/'))
    .map(describeError);
  return [...new Set(lines)];
}

// Keywords that together express one naming rule; each gets the rule's single explanation.
const STRING_RULE_KEYWORDS = new Set(['pattern', 'not', 'minLength', 'maxLength']);

/** The fields the schema declares at `prefix` ("" for the top level, "token." for the token object). */
function knownFields(prefix: string): string[] {
  let schema = BOT_SPEC_SCHEMA as { properties?: Record<string, unknown> };
  for (const part of prefix.split('.').filter(Boolean)) schema = (schema.properties?.[part] ?? {}) as typeof schema;
  return Object.keys(schema.properties ?? {});
}

function describeError(e: ErrorObject): string {
  const field = fieldName(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (field === 'username' && STRING_RULE_KEYWORDS.has(e.keyword)) {
    return 'username: must be 1-64 characters of lowercase letters, digits, ".", "-" or "_", and not one of all, channel, matterbot, system';
  }
  if (field.startsWith('channels[') && STRING_RULE_KEYWORDS.has(e.keyword)) {
    return `${field}: must be "team/channel" with both URL names (lowercase letters, digits, "-"; "_" in the channel), e.g. "myteam/access-requests"`;
  }
  if (field.startsWith('teams[') && STRING_RULE_KEYWORDS.has(e.keyword)) {
    return `${field}: must be a team name (URL handle): 2-64 lowercase letters, digits or "-", starting and ending with a letter or digit`;
  }
  const prefix = field === '(top level)' ? '' : `${field}.`;
  switch (e.keyword) {
    case 'required':
      return `${prefix}${String(params.missingProperty)}: required field is missing`;
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      return `${prefix}${extra}: unknown field${didYouMean(extra, knownFields(prefix))} (check the spelling)`;
    }
    case 'const':
      return `${field}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'type':
      return `${field}: must be ${String(params.type)}`;
    case 'minLength':
      return params.limit === 1 ? `${field}: must not be empty` : `${field}: must be at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `${field}: must be at most ${String(params.limit)} characters`;
    case 'enum':
      return field.startsWith('roles[') ? `${field}: must be one of ${BOT_ROLES.join(', ')}` : `${field}: ${e.message ?? 'is invalid'}`;
    case 'contains':
      return `${field}: must include "system_user"`;
    case 'uniqueItems':
      return `${field}: must not list the same value twice`;
    case 'minItems':
      return `${field}: must not be empty`;
    default:
      return `${field}: ${e.message ?? 'is invalid'}`;
  }
}
