/**
 * Settings of the built-in stack, read from cdktf context (cdktf.json "context", or `-c key=value`
 * through CDKTF_CONTEXT_JSON) and then from DUALAUTH_* environment variables, with the guide's defaults.
 * No setting holds a secret: the plugin identity and the bot token reach Terraform as TF_VAR_* variables
 * or existing Kubernetes Secrets, the Mattermost admin token as MATTERMOST_TOKEN at deploy time.
 */
import { BackendConfig } from '../constructs';
import { backendProblems } from '../constructs/backend';
import { didYouMean } from '../model/did-you-mean';
import { describeValue, registerSecret, secretKind } from '../model/secret-scrub';

export interface GuideSettings {
  teleportVersion: string;
  teleportAddr: string;
  /** Teleport user who signs the plugin identity and gets access-plugin-impersonator. */
  operatorUser: string;
  terraformProvider: boolean;
  backend: BackendConfig;
  /** Mattermost server base URL (the bot is applied there; the plugin posts there). */
  mattermostUrl: string;
  /** Team (URL name) the bot joins. */
  teamName: string;
  /** The bot's Mattermost username. */
  botUsername: string;
  /** Apply the bot during `cdktf deploy` (needs MATTERMOST_TOKEN, an admin token, on the deploy machine). */
  applyBot: boolean;
  /** Recipients of every request besides dbadmin's reviewers ("*" entry); empty: none. */
  recipients: string[];
  /** Run the access plugin on Kubernetes (namespace, Secrets, ConfigMap, Deployment). */
  kubernetes: boolean;
  /** Namespace of the plugin. */
  namespace: string;
  /** Plugin image; empty: the dualauth relay image (pluginRuntime "teleport-plugin" needs Teleport's image here). */
  image: string;
  pluginRuntime: 'relay' | 'teleport-plugin';
  replicas: number;
  /** Existing Secret holding the identity (key "identity"); empty: created from TF_VAR_teleport_identity. */
  identitySecret: string;
  /** Existing Secret holding the bot token (key "mattermostToken"); empty: created from TF_VAR_mattermost_token. */
  mattermostTokenSecret: string;
}

type StringKey = { [K in keyof GuideSettings]: GuideSettings[K] extends string ? K : never }[keyof GuideSettings];
type BoolKey = { [K in keyof GuideSettings]: GuideSettings[K] extends boolean ? K : never }[keyof GuideSettings];

const ENV: Record<keyof GuideSettings, string> = {
  teleportVersion: 'DUALAUTH_TELEPORT_VERSION',
  teleportAddr: 'DUALAUTH_TELEPORT_ADDR',
  operatorUser: 'DUALAUTH_OPERATOR_USER',
  terraformProvider: 'DUALAUTH_TERRAFORM_PROVIDER',
  backend: 'DUALAUTH_BACKEND',
  mattermostUrl: 'DUALAUTH_MATTERMOST_URL',
  teamName: 'DUALAUTH_MATTERMOST_TEAM',
  botUsername: 'DUALAUTH_MATTERMOST_BOT',
  applyBot: 'DUALAUTH_APPLY_BOT',
  recipients: 'DUALAUTH_RECIPIENTS',
  kubernetes: 'DUALAUTH_KUBERNETES',
  namespace: 'DUALAUTH_NAMESPACE',
  image: 'DUALAUTH_PLUGIN_IMAGE',
  pluginRuntime: 'DUALAUTH_PLUGIN_RUNTIME',
  replicas: 'DUALAUTH_PLUGIN_REPLICAS',
  identitySecret: 'DUALAUTH_IDENTITY_SECRET',
  mattermostTokenSecret: 'DUALAUTH_MATTERMOST_TOKEN_SECRET',
};

export const DEFAULT_SETTINGS: GuideSettings = {
  teleportVersion: '15.4',
  teleportAddr: 'teleport.example.com:443',
  operatorUser: 'operator@example.com',
  terraformProvider: true,
  backend: { type: 'local' },
  mattermostUrl: 'https://mattermost.example.com',
  teamName: 'myteam',
  botUsername: 'teleport',
  applyBot: true,
  recipients: [],
  kubernetes: true,
  namespace: 'teleport-plugins',
  image: '',
  pluginRuntime: 'relay',
  replicas: 1,
  identitySecret: '',
  mattermostTokenSecret: '',
};

function parseJson(text: string, where: string, example: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${where} is not valid JSON: give e.g. ${example}`);
  }
}

/** Settings whose value names a Kubernetes Secret: a secret pasted there is refused by kind, never printed. */
const SECRET_NAME_KEYS = ['identitySecret', 'mattermostTokenSecret'] as const;

/** Reads every setting; throws one Error listing every problem (not only the first), each naming key and env var. */
export function readSettings(getContext: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): GuideSettings {
  const where = (key: keyof GuideSettings): string => `${key} (context) / ${ENV[key]}`;
  const pick = (key: keyof GuideSettings): unknown => {
    const c = getContext(key);
    if (c !== undefined) return c;
    const e = env[ENV[key]];
    return e === undefined || e === '' ? undefined : e;
  };
  // Secrets this process was given (for cdktf deploy): never printed, and recognised when pasted elsewhere.
  for (const [k, v] of Object.entries(env)) {
    if (k === 'MATTERMOST_TOKEN' || (k.startsWith('TF_VAR_') && /identity|token|secret|password|key/i.test(k))) registerSecret(v);
  }
  const problems: string[] = [];
  const attempt = (f: () => void): void => {
    try {
      f();
    } catch (err) {
      problems.push((err as Error).message);
    }
  };
  const s: GuideSettings = { ...DEFAULT_SETTINGS, recipients: [...DEFAULT_SETTINGS.recipients] };
  const str = (key: StringKey): void => {
    const v = pick(key);
    if (v !== undefined) (s as unknown as Record<string, string>)[key] = String(v);
  };
  const bool = (key: BoolKey): void => {
    const v = pick(key);
    if (v === undefined) return;
    if (!['true', 'false'].includes(String(v))) throw new Error(`${where(key)} must be true or false, got ${describeValue(String(v))}`);
    s[key] = String(v) === 'true';
  };
  for (const key of ['teleportVersion', 'teleportAddr', 'operatorUser', 'mattermostUrl', 'teamName', 'botUsername', 'namespace', 'image', 'identitySecret', 'mattermostTokenSecret'] as const) str(key);
  for (const key of ['terraformProvider', 'applyBot', 'kubernetes'] as const) attempt(() => bool(key));
  for (const key of SECRET_NAME_KEYS) {
    const kind = secretKind(s[key]);
    if (kind) {
      problems.push(`${where(key)} must be the name of an existing Kubernetes Secret, but the value looks like ${kind}: create the Secret with kubectl (kubectl -n <namespace> create secret generic <name> --from-file=...) and give its name, or leave it empty to create one from a TF_VAR_ variable`);
      s[key] = '';
    }
  }

  attempt(() => {
    const b = pick('backend');
    if (b === undefined) return;
    const v = (typeof b === 'string' ? parseJson(b, where('backend'), '{"type":"s3","bucket":"b","key":"k","region":"eu-west-1"}') : b) as BackendConfig;
    const bad = backendProblems(v);
    if (bad.length > 0) throw new Error(bad.map((m) => `${where('backend')}: ${m}`).join('\n'));
    s.backend = v;
  });
  attempt(() => {
    const r = pick('recipients');
    if (r === undefined) return;
    // a JSON array, or a comma-separated list: "myteam/access-requests,alice@example.com"
    const list = Array.isArray(r) ? r : String(r).trim().startsWith('[') ? parseJson(String(r), where('recipients'), '["myteam/access-requests"]') : String(r).split(',');
    if (!Array.isArray(list)) throw new Error(`${where('recipients')} must be a list, e.g. "myteam/access-requests,alice@example.com"`);
    s.recipients = list.map((x) => String(x).trim()).filter((x) => x !== '');
  });
  attempt(() => {
    const rt = pick('pluginRuntime');
    if (rt === undefined) return;
    if (rt !== 'relay' && rt !== 'teleport-plugin') throw new Error(`${where('pluginRuntime')} must be "relay" or "teleport-plugin", got ${describeValue(String(rt))}${didYouMean(String(rt), ['relay', 'teleport-plugin'])}`);
    s.pluginRuntime = rt;
  });
  attempt(() => {
    const n = pick('replicas');
    if (n === undefined) return;
    const v = Number(n);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${where('replicas')} must be a whole number of at least 1, got ${describeValue(String(n))}`);
    s.replicas = v;
  });
  const all = problems.flatMap((p) => p.split('\n'));
  if (all.length === 1) throw new Error(all[0]);
  if (all.length > 1) throw new Error(`${all.length} problems in the stack settings:\n${all.map((p) => `  - ${p}`).join('\n')}`);
  return s;
}
