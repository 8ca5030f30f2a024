import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { BOT_SPEC_API_VERSION, BOT_SPEC_KIND, BotSpecError, MattermostBotSpec, parseBotSpec, renderBotSpec } from '../mattermost-bot/bot-spec';
import { registerArtifactProvider, StackArtifact } from './artifacts';
import { AccessPluginDeployment } from './access-plugin-deployment';
import { DualAuthStack } from './dual-auth-stack';
import { httpUrlProblem, mattermostTeamProblem, mattermostUsernameProblem } from './mattermost-names';
import { TerraformData } from './terraform-data';
import { terraformLiteral } from './terraform-strings';

export const DEFAULT_BOT_FILE = 'mattermost-bot.json';
export const DEFAULT_TOKEN_FILE = 'mattermost-bot.token';

/** Apply the bot during `cdktf deploy` with `dualauth mattermost apply`. */
export interface MattermostBotApplyProps {
  /** Base URL of the Mattermost server, e.g. "https://mattermost.example.com". */
  readonly mattermostUrl: string;
  /**
   * How to run dualauth on the machine that runs Terraform (default "npx dualauth"). The command runs in
   * the stack directory (cdktf.out/stacks/<stack>), with the admin token in that machine's MATTERMOST_TOKEN.
   */
  readonly dualauthCommand?: string;
}

/** Mint a bot access token on apply (the token is written to a file, never to the stack output). */
export interface MattermostBotTokenProps {
  /** Description of the minted token in Mattermost (default "dualauth access plugin"). */
  readonly description?: string;
  /**
   * Where the token is written, relative to the stack directory (default "mattermost-bot.token"), mode 0600.
   * Minted once per bot username and server; the command refuses to overwrite an existing file.
   */
  readonly tokenOut?: string;
}

export interface MattermostBotProps {
  /** Bot username: 3-22 characters, a lowercase letter first, then lowercase letters, digits, ".", "-", "_". */
  readonly username: string;
  /** Name shown in Mattermost (at most 64 characters; default "Teleport"). */
  readonly displayName?: string;
  /** Bot description (at most 1024 characters; default "Announces Teleport access requests"). */
  readonly description?: string;
  /** Teams (URL names, e.g. "myteam") the bot joins so it can post in their channels. */
  readonly teams: string[];
  /**
   * Channels ("team/channel") the bot joins on apply. Default: every "team/channel" recipient of the stack's
   * AccessPluginDeployments, since only channel members may update their posts (edit_post).
   */
  readonly channels?: string[];
  /**
   * Give the bot `system_post_all` besides `system_user` (default true): it can then post in every
   * channel and DM without being invited, as the guide's "Post All" permission.
   */
  readonly postAll?: boolean;
  /** Mint an access token for the plugin when the bot is applied (default: no token). */
  readonly createToken?: boolean | MattermostBotTokenProps;
  /** Apply the bot during `cdktf deploy` (a `terraform_data` resource with a local-exec provisioner). */
  readonly apply?: MattermostBotApplyProps;
  /** File name of the desired-bot JSON beside cdk.tf.json (default "mattermost-bot.json"). */
  readonly fileName?: string;
}

/** POSIX shell word: bare when safe, otherwise single-quoted. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function relativeFileProblem(prop: string, file: string): string | undefined {
  const norm = path.posix.normalize(file);
  if (file === '' || path.posix.isAbsolute(file) || norm.startsWith('..') || file.includes('\\')) {
    return `${prop} ${JSON.stringify(file)} must be a relative path inside the stack directory, e.g. "${prop === 'fileName' ? DEFAULT_BOT_FILE : DEFAULT_TOKEN_FILE}"`;
  }
  return undefined;
}

/**
 * The guide's Step 1 ("create a bot within Mattermost") as code: writes the desired bot as
 * `mattermost-bot.json` beside cdk.tf.json (no secrets), for `dualauth mattermost apply --bot`, and
 * optionally runs that command during `cdktf deploy`.
 */
export class MattermostBot extends Construct {
  private readonly baseSpec: MattermostBotSpec;
  /** The file's path relative to the stack directory. */
  readonly fileName: string;
  /** The `terraform_data` resource that applies the bot, when `apply` is given. */
  readonly applyResource?: TerraformData;
  /** The `terraform_data` resource that mints the bot's token once, when `apply` and `createToken` are given. */
  readonly tokenResource?: TerraformData;
  private readonly props: MattermostBotProps;

  constructor(scope: Construct, id: string, props: MattermostBotProps) {
    super(scope, id);
    this.props = props;
    const stack = DualAuthStack.of(this);
    this.fileName = props.fileName ?? DEFAULT_BOT_FILE;
    const token: MattermostBotTokenProps | undefined = props.createToken === true ? {} : props.createToken || undefined;
    this.baseSpec = {
      apiVersion: BOT_SPEC_API_VERSION,
      kind: BOT_SPEC_KIND,
      username: props.username,
      displayName: props.displayName ?? 'Teleport',
      description: props.description ?? 'Announces Teleport access requests',
      teams: [...props.teams],
      roles: props.postAll === false ? ['system_user'] : ['system_user', 'system_post_all'],
      ...(token ? { token: { description: token.description ?? 'dualauth access plugin' } } : {}),
    };
    registerArtifactProvider(this);
    this.node.addValidation({ validate: () => this.problems(stack) });

    const apply = props.apply;
    if (apply) {
      const url = apply.mattermostUrl;
      // the admin token comes from MATTERMOST_TOKEN in the environment Terraform runs in; nothing secret is in here
      const run = (extra: string[]): string =>
        terraformLiteral(`${apply.dualauthCommand ?? 'npx dualauth'} ${['mattermost', 'apply', '--bot', this.fileName, '--url', url, ...extra].map(shellWord).join(' ')}`);
      this.applyResource = new TerraformData(this, 'Apply', {
        // a changed bot file or server re-runs the provisioner
        // a function: the channels come from recipients of constructs that may be added after this one
        triggersReplace: () => ({ bot_spec_sha256: createHash('sha256').update(renderBotSpec(this.spec)).digest('hex'), mattermost_url: terraformLiteral(url) }),
        provisioners: [{ type: 'local-exec', command: run([]) }],
      });
      if (token) {
        const tokenOut = token.tokenOut ?? DEFAULT_TOKEN_FILE;
        // minted once per bot and server, not on every bot change: the command never overwrites a token file
        this.tokenResource = new TerraformData(this, 'Token', {
          dependsOn: [this.applyResource],
          triggersReplace: { username: props.username, mattermost_url: terraformLiteral(url), token_out: terraformLiteral(tokenOut) },
          provisioners: [{ type: 'local-exec', command: run(['--create-token', '--token-out', tokenOut]) }],
        });
      }
    }
  }

  /** The desired bot, as written to the file (channels resolved from the stack's recipients at synth). */
  get spec(): MattermostBotSpec {
    const channels = this.channels;
    return channels.length > 0 ? { ...this.baseSpec, channels } : this.baseSpec;
  }

  /** The channels the bot must be a member of: the prop, or the stack's "team/channel" recipients. */
  get channels(): string[] {
    if (this.props.channels) return [...new Set(this.props.channels)].sort();
    const stack = DualAuthStack.of(this);
    const fromRecipients = stack.node.findAll().filter((c): c is AccessPluginDeployment => c instanceof AccessPluginDeployment);
    return [...new Set(fromRecipients.flatMap((d) => d.recipientChannels))].sort();
  }

  stackArtifacts(): StackArtifact[] {
    return [{ path: this.fileName, content: renderBotSpec(this.spec) }];
  }

  private problems(stack: DualAuthStack): string[] {
    const p = this.props;
    const out: string[] = [];
    const username = mattermostUsernameProblem(p.username);
    if (username) out.push(`username: ${username}`);
    p.teams.forEach((t, i) => {
      const problem = mattermostTeamProblem(t);
      if (problem) out.push(`teams[${i}]: ${problem}`);
    });
    for (const channel of this.channels) {
      const team = channel.split('/')[0] ?? '';
      const source = p.channels ? 'channels' : 'a "team/channel" recipient of the access plugin';
      if (!p.teams.includes(team)) out.push(`teams: ${source} names ${JSON.stringify(channel)}, but team ${JSON.stringify(team)} is not in teams: add it (the bot joins a channel through its team, and must be a member to update its posts)`);
    }
    const file = relativeFileProblem('fileName', this.fileName);
    if (file) out.push(file);
    const token = typeof p.createToken === 'object' ? p.createToken : undefined;
    if (token?.tokenOut !== undefined) {
      const tp = relativeFileProblem('createToken.tokenOut', token.tokenOut);
      if (tp) out.push(tp);
    }
    if (p.apply) {
      const url = httpUrlProblem(p.apply.mattermostUrl);
      if (url) out.push(`apply.mattermostUrl: ${url}`);
      if (p.apply.dualauthCommand !== undefined && p.apply.dualauthCommand.trim() === '') out.push('apply.dualauthCommand is empty: leave it out for "npx dualauth" or give e.g. "node ./node_modules/dualauth/bin/dualauth.js"');
    }
    const twins = stack.node.findAll().filter((c) => c !== this && c instanceof MattermostBot && c.fileName === this.fileName);
    if (twins.length) out.push(`fileName ${JSON.stringify(this.fileName)} is also written by ${twins.map((c) => c.node.path).join(', ')}: give each bot its own fileName`);
    // the file must load in `dualauth mattermost apply` (lengths, duplicate teams, ...)
    if (out.length === 0) {
      try {
        parseBotSpec(renderBotSpec(this.spec), this.fileName);
      } catch (err) {
        if (!(err instanceof BotSpecError)) throw err;
        out.push(...err.problems.map((m) => `${m} (in ${this.fileName})`));
      }
    }
    return out;
  }
}
