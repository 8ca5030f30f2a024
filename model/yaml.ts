/**
 * Teleport YAML in and out: the multi-document form `tctl create -f` reads and `tctl get` prints
 * (keys sorted, as tctl prints them), and parsing with file and line for error messages.
 * Output uses js-yaml (about 3x faster than `yaml` on large stacks); input uses `yaml` for line numbers.
 */
import { dump } from 'js-yaml';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { KIND_ORDER } from './kinds';
import { TeleportResource } from './resources';
import { YamlInputError } from './yaml-error';
import { checkYamlDocumentCount, checkYamlText, checkYamlValue, DEFAULT_YAML_LIMITS, YamlLimits, yamlLimitFromError } from './yaml-limits';

/** Sort order of synthesized resources: kind (roles first), then name. */
export function compareResources(a: TeleportResource, b: TeleportResource): number {
  const ka = KIND_ORDER.indexOf(a.kind);
  const kb = KIND_ORDER.indexOf(b.kind);
  if (ka !== kb) return ka - kb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Removes undefined values and server-set metadata so output depends only on the declared resource. */
export function cleanResource<T extends TeleportResource>(r: T): T {
  const copy = JSON.parse(JSON.stringify(r)) as T;
  delete copy.metadata.revision;
  delete copy.metadata.id;
  return copy;
}

export function resourceToYaml(r: TeleportResource): string {
  return dump(cleanResource(r), { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** All resources as one multi-document YAML, in stable order. */
export function resourcesToYaml(resources: readonly TeleportResource[]): string {
  return [...resources].sort(compareResources).map(resourceToYaml).join('---\n');
}

export interface ParsedDocument {
  /** The document as plain data (not yet checked to be a Teleport resource). */
  value: unknown;
  file: string;
  /** 1-based line of the document's first line. */
  line: number;
  /** 1-based line of a field path such as "spec.allow.request", or the document line. */
  lineOf(path: readonly (string | number)[]): number;
}

export { YamlInputError } from './yaml-error';

/**
 * Parses multi-document YAML; throws YamlInputError naming file and line on malformed input, and its
 * YamlLimitError when the input is over a bound (size, documents, nodes after aliases, depth).
 */
export function parseYamlDocuments(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedDocument[] {
  checkYamlText(text, file, limits);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  checkYamlDocumentCount(docs.length, file, limits);
  const out: ParsedDocument[] = [];
  for (const doc of docs as Document.Parsed[]) {
    const err = doc.errors[0];
    if (err) throw new YamlInputError(file, lc.linePos(err.pos[0]).line, `malformed YAML: ${err.message.split('\n')[0]}`);
    if (doc.contents === null) continue; // empty document between separators
    const start = doc.contents.range ? lc.linePos(doc.contents.range[0]).line : 1;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw yamlLimitFromError(e, file, start) ?? e;
    }
    checkYamlValue(value, file, start, limits);
    out.push({
      value,
      file,
      line: start,
      lineOf(path) {
        for (let n = path.length; n > 0; n--) {
          const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
          if (node && node.range) return lc.linePos(node.range[0]).line;
        }
        return start;
      },
    });
  }
  return out;
}
