/**
 * The live Teleport resources: over gRPC with an identity file (each kind listed through teleport-client/kinds),
 * or from a `tctl get roles,users` dump (YAML multi-document or JSON array) for CI jobs without Teleport credentials.
 * Errors say which flag or file to fix and never carry key material.
 */
import { promises as fs } from 'node:fs';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { checkYamlDocumentCount, checkYamlText, checkYamlValue } from '../model/yaml-limits';
import { kindModel, type TeleportResource } from '../model';
import type { TeleportClient } from '../teleport-client/client';
import { TeleportApiError } from '../teleport-client/errors';
import { IdentityFileError } from '../teleport-client/identity-file';
import { DriftInputError } from './types';

export interface LiveTeleport {
  /** Every live resource of the kinds read. */
  resources: TeleportResource[];
  /** Kinds that were read completely (a declared resource of another kind cannot be called missing). */
  kinds: string[];
  /** Where it came from, for the report: "gRPC HOST:PORT" or "dump FILE". */
  source: string;
  notes: string[];
}

/** Kinds always listed over gRPC, so that unmanaged roles and users show up; declared kinds are added. */
export const ALWAYS_LISTED_KINDS: readonly string[] = ['role', 'user'];

/** The rules the drift identity's role needs for these kinds (also in the README). */
export function readerRules(kinds: readonly string[] = ALWAYS_LISTED_KINDS): string {
  return `rules: [{resources: [${kinds.join(', ')}], verbs: [list, read]}]`;
}

export const READER_RULES = readerRules();

/** Keeps documents of the kinds the model knows (model/kinds); other kinds are counted in a note. */
export function liveFromDocuments(docs: unknown[], file: string): LiveTeleport {
  const resources: TeleportResource[] = [];
  const other = new Map<string, number>();
  docs.forEach((d, i) => {
    if (d === null || d === undefined) return;
    const v = d as { kind?: unknown; metadata?: { name?: unknown } };
    if (typeof v !== 'object' || typeof v.kind !== 'string') {
      throw new DriftInputError(`--live ${file}: document ${i + 1} has no kind: give the output of tctl get roles,users (YAML or --format json)`);
    }
    if (!kindModel(v.kind)) {
      other.set(v.kind, (other.get(v.kind) ?? 0) + 1);
      return;
    }
    if (typeof v.metadata?.name !== 'string' || v.metadata.name === '') {
      throw new DriftInputError(`--live ${file}: document ${i + 1} (${v.kind}) has no metadata.name`);
    }
    resources.push(d as TeleportResource);
  });
  const notes: string[] = [];
  if (other.size > 0) {
    const kinds = [...other.entries()].sort().map(([k, n]) => `${k} (${n})`).join(', ');
    notes.push(`the dump also holds other kinds, not compared: ${kinds}`);
  }
  // A dump holds what tctl was asked for: a kind is complete when the dump has any of it, and role/user always.
  const kinds = [...new Set([...ALWAYS_LISTED_KINDS, ...resources.map((r) => r.kind)])];
  return { resources, kinds, source: `dump ${file}`, notes };
}

/** Parses `tctl get` output: a JSON array (or one object), or YAML documents separated by ---. */
export function parseLiveDump(text: string, file: string): LiveTeleport {
  const trimmed = text.trimStart();
  let docs: unknown[] | undefined;
  try {
    checkYamlText(text, file);
  } catch (err) {
    throw new DriftInputError(`--live ${(err as Error).message}`);
  }
  let jsonError: string | undefined;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      docs = Array.isArray(v) ? v : [v];
    } catch (err) {
      // Not JSON: maybe flow-style YAML ({kind: role, ...}), which YAML reads; say "JSON" only if YAML fails too.
      jsonError = (err as Error).message;
    }
  }
  if (!docs) {
    try {
      // CORE_SCHEMA: no YAML 1.1 surprises (timestamps stay strings, "yes" stays a string).
      docs = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: file }) as unknown[];
    } catch (err) {
      const mark = (err as { mark?: { line?: number } }).mark;
      const at = mark?.line !== undefined ? `:${mark.line + 1}` : '';
      if (jsonError) throw new DriftInputError(`--live ${file}: malformed JSON (${jsonError}), and not YAML either (line ${at.slice(1) || '?'}: ${(err as { reason?: string }).reason ?? 'parse error'}): give the output of tctl get roles,users (YAML) or tctl get roles,users --format json`);
      throw new DriftInputError(`--live ${file}${at}: malformed YAML (${(err as { reason?: string }).reason ?? 'parse error'}): give the output of tctl get roles,users`);
    }
  }
  try {
    checkYamlDocumentCount(docs.length, file);
    docs.forEach((d, i) => checkYamlValue(d, `${file} (document ${i + 1})`));
  } catch (err) {
    throw new DriftInputError(`--live ${(err as Error).message}`);
  }
  return liveFromDocuments(docs, file);
}

export async function readLiveDump(file: string): Promise<LiveTeleport> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new DriftInputError(`--live ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): create it with tctl get roles,users > ${file}`);
  }
  return parseLiveDump(text, file);
}

export interface GrpcSourceOptions {
  addr: string;
  identityFile: string;
  /** Cluster name, to reach Auth through a Proxy with TLS routing. */
  proxyCluster?: string;
  timeoutMs?: number;
}

/** Turns client errors into one sentence naming the flag and the fix. */
export function describeTeleportError(err: unknown, o: GrpcSourceOptions, doing: string, kinds: readonly string[] = ALWAYS_LISTED_KINDS): Error {
  if (err instanceof IdentityFileError) {
    return new DriftInputError(`--identity: ${err.message}; export one with tctl auth sign --user=<reader> --format=file --out=${o.identityFile}`);
  }
  if (err instanceof TeleportApiError) {
    switch (err.code) {
      case 'ConnectionProblem':
      case 'DeadlineExceeded':
        return new Error(
          `cannot reach Teleport at ${o.addr} (--teleport-addr) while ${doing}: ${err.detail}. ` +
            'Check the address (the Auth service, usually port 3025, or a Proxy with --teleport-cluster) and that --identity was issued by this cluster',
        );
      case 'AccessDenied':
        return new Error(`Teleport refused ${doing} for the --identity user: ${err.detail}. Give that user a role with ${readerRules(kinds)}`);
      default:
        return new Error(`Teleport ${err.method} failed while ${doing}: ${err.code}: ${err.detail}`);
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Reads the live resources of ALWAYS_LISTED_KINDS plus `declaredKinds`, each kind through its wire registry entry. */
export async function readLiveGrpc(o: GrpcSourceOptions, declaredKinds: readonly string[] = []): Promise<LiveTeleport> {
  // Checked here: the client would report a missing file as a bare ENOENT from stat.
  await fs.access(o.identityFile).catch((err: NodeJS.ErrnoException) => {
    throw describeTeleportError(new IdentityFileError(o.identityFile, `cannot be read (${err.code ?? 'error'})`), o, 'reading the identity');
  });
  // Loaded here: gRPC and the protos cost a few hundred ms that --live runs do not need.
  const { connectTeleport } = require('../teleport-client/client') as typeof import('../teleport-client/client');
  const { kindWire } = require('../teleport-client/kinds') as typeof import('../teleport-client/kinds');
  const wanted = [...new Set([...ALWAYS_LISTED_KINDS, ...declaredKinds])];
  const kinds = wanted.filter((k) => kindWire(k) !== undefined);
  const notes = wanted.filter((k) => !kinds.includes(k)).map((k) => `kind ${k} is declared but cannot be read over gRPC yet: not compared`);
  let client: TeleportClient;
  try {
    client = await connectTeleport({
      addr: o.addr,
      identityFile: o.identityFile,
      timeoutMs: o.timeoutMs ?? 30_000,
      ...(o.proxyCluster ? { alpnRouting: { clusterName: o.proxyCluster } } : {}),
    });
  } catch (err) {
    throw describeTeleportError(err, o, 'connecting');
  }
  try {
    const lists = await Promise.all(
      kinds.map((k) => client.listResources(k).catch((err) => Promise.reject(describeTeleportError(err, o, `listing ${k}s`, kinds)))),
    );
    return { resources: lists.flat(), kinds, source: `gRPC ${o.addr}`, notes };
  } finally {
    client.close();
  }
}
