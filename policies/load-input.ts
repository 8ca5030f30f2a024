/**
 * Reads what the review looks at: stack output directories (cdktf.out/stacks/<stack>/ with teleport.yaml,
 * policy-suppressions.json and cdk.tf.json), directories of Teleport YAML, single YAML/JSON files (a
 * `tctl get roles,users` dump included), and suppression files. Bad input raises InputError (exit 2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { kindModel, KINDS, TeleportResource, resourceKey, YamlInputError } from '../model';
import { constructPathsFromTerraform } from './construct-paths';
import { InputError } from './input-error';
import { readYamlDocuments, YamlDocument } from './yaml-documents';
import { Suppression } from './types';
import { suppressionFileProblems, validateSuppression } from '../model/suppression';

export interface LoadedResource {
  resource: TeleportResource;
  key: string;
  file: string;
  line: number;
  /** 1-based line of a field path inside the resource. */
  lineOf(path: readonly (string | number)[]): number;
  /** The construct that declared it (from the stack's cdk.tf.json metadata), when known. */
  constructPath?: string;
}

export interface SourceFile {
  /** Display path: relative to the working directory when inside it, with forward slashes. */
  path: string;
  text: string;
  kind: 'teleport' | 'terraform' | 'suppressions' | 'other';
}

export interface LoadedInput {
  resources: LoadedResource[];
  /** Every file read, for the secret scan. */
  files: SourceFile[];
  suppressions: Suppression[];
}

export interface LoadOptions {
  cwd?: string;
  /** Extra suppression files (--suppressions), JSON or YAML. */
  suppressionFiles?: readonly string[];
  /** Words for error messages: "base path" vs "path". */
  what?: string;
}

const STACK_YAML = 'teleport.yaml';
const STACK_SUPPRESSIONS = ['policy-suppressions.json', 'policy-suppressions.yaml', 'policy-suppressions.yml'];
const TERRAFORM_JSON = 'cdk.tf.json';

export function displayPath(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  return shown.split(path.sep).join('/');
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function isYaml(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** The files a PATH stands for. A cdktf.out root (manifest.json + stacks/) expands to its stacks. */
interface Expanded {
  teleport: string[];
  suppressions: string[];
  terraform: string[];
  /** Other JSON artifacts of a stack directory: scanned for secrets only. */
  other: string[];
}

function expandPath(p: string, cwd: string, what: string): Expanded {
  const abs = path.resolve(cwd, p);
  if (!fs.existsSync(abs)) throw new InputError(`${what} ${p} does not exist`);
  const out: Expanded = { teleport: [], suppressions: [], terraform: [], other: [] };
  const stat = fs.statSync(abs);
  if (stat.isFile()) {
    const base = path.basename(abs);
    if (STACK_SUPPRESSIONS.includes(base)) out.suppressions.push(abs);
    else if (base === TERRAFORM_JSON) out.terraform.push(abs);
    else out.teleport.push(abs);
    return out;
  }
  const entries = fs.readdirSync(abs).sort();
  const stacks = path.join(abs, 'stacks');
  if (entries.includes('manifest.json') && fs.existsSync(stacks) && fs.statSync(stacks).isDirectory() && !entries.includes(STACK_YAML)) {
    for (const s of fs.readdirSync(stacks).sort()) {
      const dir = path.join(stacks, s);
      if (fs.statSync(dir).isDirectory()) {
        const sub = expandPath(dir, cwd, what);
        out.teleport.push(...sub.teleport);
        out.suppressions.push(...sub.suppressions);
        out.terraform.push(...sub.terraform);
        out.other.push(...sub.other);
      }
    }
    return out;
  }
  for (const name of entries) {
    if (STACK_SUPPRESSIONS.includes(name)) out.suppressions.push(path.join(abs, name));
    else if (/\.json$/i.test(name) && name !== TERRAFORM_JSON && fs.statSync(path.join(abs, name)).isFile()) out.other.push(path.join(abs, name));
  }
  if (entries.includes(TERRAFORM_JSON)) out.terraform.push(path.join(abs, TERRAFORM_JSON));
  if (entries.includes(STACK_YAML)) out.teleport.push(path.join(abs, STACK_YAML));
  else {
    for (const name of entries) {
      const full = path.join(abs, name);
      if (isYaml(name) && !STACK_SUPPRESSIONS.includes(name) && fs.statSync(full).isFile()) out.teleport.push(full);
    }
  }
  if (out.teleport.length === 0) throw new InputError(`${what} ${p} holds no Teleport YAML (teleport.yaml or *.yaml / *.yml)`);
  return out;
}

/** Drops the spec fields the server adds to `tctl get` output (the kind model's serverSpecFields). */
function stripServerFields(r: Record<string, unknown>): void {
  const fields = typeof r.kind === 'string' ? kindModel(r.kind)?.serverSpecFields : undefined;
  if (fields && r.spec && typeof r.spec === 'object') {
    for (const f of fields) delete (r.spec as Record<string, unknown>)[f];
  }
}

/** Turns parsed documents into resources; a JSON array (tctl --format=json) yields one per element. */
function resourcesOf(doc: YamlDocument, file: string): LoadedResource[] {
  const items: { value: unknown; prefix: (string | number)[] }[] = Array.isArray(doc.value)
    ? doc.value.map((value, i) => ({ value, prefix: [i] }))
    : [{ value: doc.value, prefix: [] }];
  return items.map(({ value, prefix }) => {
    const line = prefix.length ? doc.lineOf(prefix) : doc.line;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${file}:${line}: document is not a Teleport resource (expected a mapping with kind, version, metadata, spec)`);
    }
    const r = value as Record<string, unknown>;
    if (typeof r.kind !== 'string') throw new InputError(`${file}:${line}: resource has no kind: add e.g. "kind: role"`);
    if (!kindModel(r.kind)) {
      throw new InputError(`${file}:${line}: unknown kind ${JSON.stringify(r.kind)}: the review knows ${Object.keys(KINDS).join(', ')}`);
    }
    const name = (r.metadata as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') throw new InputError(`${file}:${line}: ${r.kind} has no metadata.name`);
    stripServerFields(r);
    const resource = r as unknown as TeleportResource;
    return {
      resource,
      key: resourceKey(resource),
      file,
      line,
      lineOf: (p: readonly (string | number)[]) => doc.lineOf([...prefix, ...p]),
    };
  });
}

function parseStructured(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new InputError(`${file}: malformed JSON: ${(err as Error).message}`);
    }
  }
  const docs = readYamlDocuments(text, file);
  return docs[0]?.value;
}

/** Reads a suppressions document ({suppressions: [...]}), JSON or YAML. */
export function readSuppressionFile(abs: string, shown: string): { suppressions: Suppression[]; file: SourceFile } {
  const text = readText(abs);
  let value: unknown;
  try {
    value = parseStructured(text, shown);
  } catch (err) {
    if (err instanceof YamlInputError) throw new InputError(err.message);
    throw err;
  }
  const problems = suppressionFileProblems(value);
  if (problems.length === 0) {
    (value as { suppressions: unknown[] }).suppressions.forEach((s, i) => problems.push(...validateSuppression(s).map((p) => `suppressions.${i}.${p}`)));
  }
  if (problems.length > 0) throw new InputError(`${shown}: invalid suppressions: ${problems.join('; ')}`);
  const list = (value as { suppressions: Suppression[] }).suppressions.map((s) => ({ ...s, source: shown }));
  return { suppressions: list, file: { path: shown, text, kind: 'suppressions' } };
}

export function loadInput(paths: readonly string[], opts: LoadOptions = {}): LoadedInput {
  const cwd = opts.cwd ?? process.cwd();
  const what = opts.what ?? 'path';
  if (paths.length === 0) throw new InputError(`no ${what} given: name a stack output directory or Teleport YAML files`);
  const out: LoadedInput = { resources: [], files: [], suppressions: [] };
  const seenFiles = new Set<string>();
  const first = new Map<string, LoadedResource>();
  const take = (abs: string): string | undefined => {
    if (seenFiles.has(abs)) return undefined;
    seenFiles.add(abs);
    return displayPath(abs, cwd);
  };
  for (const p of paths) {
    const files = expandPath(p, cwd, what);
    const fromHere: LoadedResource[] = [];
    for (const abs of files.teleport) {
      const shown = take(abs);
      if (!shown) continue;
      const text = readText(abs);
      out.files.push({ path: shown, text, kind: 'teleport' });
      let docs: YamlDocument[];
      try {
        docs = readYamlDocuments(text, shown);
      } catch (err) {
        if (err instanceof YamlInputError) throw new InputError(err.message);
        throw err;
      }
      for (const doc of docs) {
        for (const lr of resourcesOf(doc, shown)) {
          const prev = first.get(lr.key);
          if (prev) throw new InputError(`${lr.file}:${lr.line}: duplicate resource ${lr.key} (first declared at ${prev.file}:${prev.line}): Teleport names are unique per kind`);
          first.set(lr.key, lr);
          out.resources.push(lr);
          fromHere.push(lr);
        }
      }
    }
    for (const abs of files.terraform) {
      const shown = take(abs);
      if (!shown) continue;
      const text = readText(abs);
      out.files.push({ path: shown, text, kind: 'terraform' });
      // resources of the teleport.yaml beside this cdk.tf.json get the construct path that declared them
      const paths = constructPathsFromTerraform(text);
      for (const lr of fromHere) if (path.dirname(lr.file) === path.dirname(shown) && paths.has(lr.key)) lr.constructPath = paths.get(lr.key);
    }
    for (const abs of files.other) {
      const shown = take(abs);
      if (shown) out.files.push({ path: shown, text: readText(abs), kind: 'other' });
    }
    for (const abs of files.suppressions) {
      const shown = take(abs);
      if (!shown) continue;
      const s = readSuppressionFile(abs, shown);
      out.suppressions.push(...s.suppressions);
      out.files.push(s.file);
    }
  }
  for (const f of opts.suppressionFiles ?? []) {
    const abs = path.resolve(cwd, f);
    if (!fs.existsSync(abs)) throw new InputError(`suppressions file ${f} does not exist`);
    const shown = take(abs);
    if (!shown) continue;
    const s = readSuppressionFile(abs, shown);
    out.suppressions.push(...s.suppressions);
    out.files.push(s.file);
  }
  return out;
}

/** Builds a LoadedInput from resources already in memory (tests, benchmark); lines are document order. */
export function inputFromResources(resources: readonly TeleportResource[], file = '(memory)'): LoadedInput {
  const first = new Set<string>();
  const out: LoadedInput = { resources: [], files: [], suppressions: [] };
  resources.forEach((resource, i) => {
    const key = resourceKey(resource);
    if (first.has(key)) throw new InputError(`duplicate resource ${key}`);
    first.add(key);
    out.resources.push({ resource, key, file, line: i + 1, lineOf: () => i + 1 });
  });
  return out;
}
