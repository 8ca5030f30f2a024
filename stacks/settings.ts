/**
 * Settings of the built-in stack, read from cdktf context (cdktf.json "context", or `-c key=value`
 * through CDKTF_CONTEXT_JSON) and then from DUALAUTH_* environment variables, with the guide's defaults.
 */
import { BackendConfig, BACKEND_TYPES } from '../constructs';

export interface GuideSettings {
  teleportVersion: string;
  teleportAddr: string;
  /** Teleport user who signs the plugin identity and gets access-plugin-impersonator. */
  operatorUser: string;
  terraformProvider: boolean;
  backend: BackendConfig;
}

const ENV: Record<keyof GuideSettings, string> = {
  teleportVersion: 'DUALAUTH_TELEPORT_VERSION',
  teleportAddr: 'DUALAUTH_TELEPORT_ADDR',
  operatorUser: 'DUALAUTH_OPERATOR_USER',
  terraformProvider: 'DUALAUTH_TERRAFORM_PROVIDER',
  backend: 'DUALAUTH_BACKEND',
};

export const DEFAULT_SETTINGS: GuideSettings = {
  teleportVersion: '15.4',
  teleportAddr: 'teleport.example.com:443',
  operatorUser: 'operator@example.com',
  terraformProvider: true,
  backend: { type: 'local' },
};

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${where} is not valid JSON: give e.g. {"type":"s3","bucket":"b","key":"k","region":"eu-west-1"}`);
  }
}

export function readSettings(getContext: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): GuideSettings {
  const pick = (key: keyof GuideSettings): unknown => {
    const c = getContext(key);
    if (c !== undefined) return c;
    const e = env[ENV[key]];
    return e === undefined || e === '' ? undefined : e;
  };
  const s: GuideSettings = { ...DEFAULT_SETTINGS };
  const str = (key: 'teleportVersion' | 'teleportAddr' | 'operatorUser'): void => {
    const v = pick(key);
    if (v !== undefined) s[key] = String(v);
  };
  str('teleportVersion');
  str('teleportAddr');
  str('operatorUser');
  const tf = pick('terraformProvider');
  if (tf !== undefined) {
    if (!['true', 'false'].includes(String(tf))) throw new Error(`terraformProvider (context) / ${ENV.terraformProvider} must be true or false, got ${JSON.stringify(tf)}`);
    s.terraformProvider = String(tf) === 'true';
  }
  const b = pick('backend');
  if (b !== undefined) {
    const v = (typeof b === 'string' ? parseJson(b, `backend (context) / ${ENV.backend}`) : b) as BackendConfig;
    if (!v || typeof v !== 'object' || !BACKEND_TYPES.includes(v.type as (typeof BACKEND_TYPES)[number])) {
      throw new Error(`backend (context) / ${ENV.backend}: "type" must be one of ${BACKEND_TYPES.join(', ')}`);
    }
    s.backend = v;
  }
  return s;
}
