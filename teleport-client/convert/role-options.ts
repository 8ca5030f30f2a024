/** RoleOptions <-> the model's RoleOptions: one codec per option, named as tctl prints it. */
import type { RoleOptions } from '../../model/resources';
import { PbDuration, durationToNanos, nanosToDuration, pbDurationToText, textToPbDuration } from '../values';
import { Pb, boolValueFromPb, boolValueToPb, compact, list, nonEmpty, num, obj, pbList, str } from './pb';

const REQUIRE_MFA_TO_YAML: Record<string, boolean | string> = {
  OFF: false,
  SESSION: true,
  SESSION_AND_HARDWARE_KEY: 'hardware_key',
  HARDWARE_KEY_TOUCH: 'hardware_key_touch',
  HARDWARE_KEY_PIN: 'hardware_key_pin',
  HARDWARE_KEY_TOUCH_AND_PIN: 'hardware_key_touch_and_pin',
};
const HOST_USER_MODE: Record<string, string> = {
  HOST_USER_MODE_OFF: 'off',
  HOST_USER_MODE_DROP: 'drop',
  HOST_USER_MODE_KEEP: 'keep',
  HOST_USER_MODE_INSECURE_DROP: 'insecure-drop',
};
const DB_USER_MODE: Record<string, string> = {
  DB_USER_MODE_OFF: 'off',
  DB_USER_MODE_KEEP: 'keep',
  DB_USER_MODE_BEST_EFFORT_DROP: 'best_effort_drop',
};

function invert(m: Record<string, string | boolean>): Map<string | boolean, string> {
  return new Map(Object.entries(m).map(([k, v]) => [v, k]));
}

type OptionCodec = { pb: string; to: (v: unknown, where: string) => unknown; from: (v: unknown) => unknown };

const scalar = (pb: string, kind: 'bool' | 'string' | 'int'): OptionCodec => ({
  pb,
  to: (v, where) => {
    if (kind === 'bool' && typeof v !== 'boolean') throw new TypeError(`${where} must be true or false`);
    if (kind === 'string' && typeof v !== 'string') throw new TypeError(`${where} must be a string`);
    if (kind === 'int' && !Number.isInteger(v)) throw new TypeError(`${where} must be an integer`);
    return kind === 'int' ? String(v) : v;
  },
  from: (v) => (kind === 'int' ? num(v) || undefined : v || undefined),
});
const duration = (pb: string): OptionCodec => ({
  pb,
  to: (v, where) => {
    if (typeof v !== 'string') throw new TypeError(`${where} must be a duration string such as "8h"`);
    return v === 'never' ? '0' : durationToNanos(v);
  },
  from: (v) => nanosToDuration(v as string),
});
const boolValue = (pb: string): OptionCodec => ({ pb, to: (v, w) => boolValueToPb(v, w), from: (v) => boolValueFromPb(v) });
const enumMap = (pb: string, m: Record<string, string | boolean>, zero: string): OptionCodec => {
  const back = invert(m);
  return {
    pb,
    to: (v, where) => {
      const e = back.get(v as string | boolean);
      if (e === undefined) throw new TypeError(`${where}: unknown value ${JSON.stringify(v)}`);
      return e;
    },
    from: (v) => (v === zero || v === undefined || v === null ? undefined : m[String(v)]),
  };
};

/** RoleOptions: YAML name (model/resources.ts, tctl) -> proto field and codec. */
const OPTION_FIELDS: Record<string, OptionCodec> = {
  forward_agent: scalar('ForwardAgent', 'bool'),
  max_session_ttl: duration('MaxSessionTTL'),
  port_forwarding: boolValue('PortForwarding'),
  cert_format: scalar('CertificateFormat', 'string'),
  client_idle_timeout: duration('ClientIdleTimeout'),
  disconnect_expired_cert: scalar('DisconnectExpiredCert', 'bool'),
  enhanced_recording: { pb: 'BPF', to: (v) => list(v), from: (v) => nonEmpty(list(v)) },
  permit_x11_forwarding: scalar('PermitX11Forwarding', 'bool'),
  max_connections: scalar('MaxConnections', 'int'),
  max_sessions: scalar('MaxSessions', 'int'),
  request_access: scalar('RequestAccess', 'string'),
  request_prompt: scalar('RequestPrompt', 'string'),
  lock: scalar('Lock', 'string'),
  record_session: {
    pb: 'RecordSession',
    to: (v, w) => {
      const r = (v ?? {}) as Record<string, unknown>;
      return { ...(r.desktop !== undefined ? { Desktop: boolValueToPb(r.desktop, `${w}.desktop`) } : {}), Default: str(r.default), SSH: str(r.ssh) };
    },
    from: (v) => {
      const r = obj(v);
      if (!r) return undefined;
      const out = compact({ default: str(r.Default), ssh: str(r.SSH) }) as Record<string, unknown>;
      const desktop = boolValueFromPb(r.Desktop);
      return desktop === undefined && Object.keys(out).length === 0 ? undefined : { ...(desktop !== undefined ? { desktop } : {}), ...out };
    },
  },
  desktop_clipboard: boolValue('DesktopClipboard'),
  cert_extensions: {
    pb: 'CertExtensions',
    to: (v) => pbList<Pb>(v).map((e) => ({ Type: 'SSH', Mode: 'EXTENSION', Name: str(e.name), Value: str(e.value) })),
    from: (v) => nonEmpty(pbList<Pb>(v).map((e) => ({ type: 'ssh', mode: 'extension', name: str(e.Name), value: str(e.Value) }))),
  },
  max_kubernetes_connections: scalar('MaxKubernetesConnections', 'int'),
  desktop_directory_sharing: boolValue('DesktopDirectorySharing'),
  create_host_user: boolValue('CreateHostUser'),
  pin_source_ip: scalar('PinSourceIP', 'bool'),
  ssh_file_copy: boolValue('SSHFileCopy'),
  require_session_mfa: enumMap('RequireMFAType', REQUIRE_MFA_TO_YAML, 'OFF'),
  device_trust_mode: scalar('DeviceTrustMode', 'string'),
  idp: {
    pb: 'IDP',
    to: (v, w) => {
      const saml = obj(obj(v)?.saml);
      return { SAML: saml ? { Enabled: boolValueToPb(saml.enabled, `${w}.saml.enabled`) } : null };
    },
    from: (v) => {
      const enabled = boolValueFromPb(obj(obj(v)?.SAML)?.Enabled);
      return enabled === undefined ? undefined : { saml: { enabled } };
    },
  },
  create_desktop_user: boolValue('CreateDesktopUser'),
  create_db_user: boolValue('CreateDatabaseUser'),
  create_host_user_mode: enumMap('CreateHostUserMode', HOST_USER_MODE, 'HOST_USER_MODE_UNSPECIFIED'),
  create_db_user_mode: enumMap('CreateDatabaseUserMode', DB_USER_MODE, 'DB_USER_MODE_UNSPECIFIED'),
  mfa_verification_interval: {
    pb: 'MFAVerificationInterval',
    to: (v, w) => {
      if (typeof v !== 'string') throw new TypeError(`${w} must be a duration string`);
      return textToPbDuration(v);
    },
    from: (v) => pbDurationToText(v as PbDuration | null),
  },
  create_host_user_default_shell: scalar('CreateHostUserDefaultShell', 'string'),
  ssh_port_forwarding: {
    pb: 'SSHPortForwarding',
    to: (v, w) => {
      const s = obj(v) ?? {};
      const side = (x: unknown, name: string) => (obj(x) ? { Enabled: boolValueToPb(obj(x)!.enabled, `${w}.${name}.enabled`) } : null);
      return { Local: side(s.local, 'local'), Remote: side(s.remote, 'remote') };
    },
    from: (v) => {
      const s = obj(v);
      if (!s) return undefined;
      const side = (x: unknown) => {
        const o = obj(x);
        if (!o) return undefined;
        const enabled = boolValueFromPb(o.Enabled);
        return enabled === undefined ? {} : { enabled };
      };
      const out = { local: side(s.Local), remote: side(s.Remote) };
      return out.local === undefined && out.remote === undefined ? undefined : JSON.parse(JSON.stringify(out));
    },
  },
};

export function optionsToPb(o: RoleOptions | undefined, where: string): Pb {
  const out: Pb = {};
  for (const [key, value] of Object.entries(o ?? {})) {
    if (value === undefined) continue;
    const codec = OPTION_FIELDS[key];
    if (!codec) throw new TypeError(`${where}.${key} is not a role option this client can send`);
    out[codec.pb] = codec.to(value, `${where}.${key}`);
  }
  return out;
}

export function optionsFromPb(pb: unknown): RoleOptions | undefined {
  const o = obj(pb);
  if (!o) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, codec] of Object.entries(OPTION_FIELDS)) {
    const v = codec.from(o[codec.pb]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? (out as RoleOptions) : undefined;
}
