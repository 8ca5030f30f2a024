/**
 * Bounds on YAML input, applied wherever YAML is read (review, drift's teleport.yaml and dumps, config
 * files): the file's size, the number of documents, and each document's size after aliases are expanded
 * (an "alias bomb" of nine nested anchors is a few hundred bytes and a billion nodes) and its nesting depth.
 *
 * js-yaml resolves an alias to the same object, so loading a bomb is cheap; it explodes only when the
 * value is walked (JSON.stringify, a diff). `checkYamlValue` walks each document once, counting nodes as
 * a consumer would see them (an alias counted each time it is used), and stops at the cap: the check is
 * linear in the cap, never in the expansion. The `yaml` library's own guard (maxAliasCount) raises a
 * ReferenceError; `yamlLimitFromError` turns that into the same error naming the file.
 */
import { YamlInputError } from './yaml-error';

export interface YamlLimits {
  /** Bytes of one file. */
  maxBytes: number;
  /** Documents in one file (`---` separated). */
  maxDocuments: number;
  /** Nodes of one document as consumers see it, aliases expanded. */
  maxNodes: number;
  /** Nesting depth of one document. */
  maxDepth: number;
}

// Generous for real input: the benchmark organisation (1,000 roles, 10,000 users) is ~11,000 documents of
// at most a few hundred nodes; Teleport's own gRPC limit keeps one resource far below a million nodes.
export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 64 * 1024 * 1024, maxDocuments: 200_000, maxNodes: 1_000_000, maxDepth: 200 };

/** A YAML input over a limit: a YamlInputError (bad input), naming the file and the fix. */
export class YamlLimitError extends YamlInputError {
  constructor(file: string, line: number, message: string) {
    super(file, line, message);
    this.name = 'YamlLimitError';
  }
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n >= 1024 * 1024 ? 0 : 2)} MiB`;

/** Size check before parsing; throws YamlLimitError. */
export function checkYamlText(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): void {
  // UTF-16 length is at most the UTF-8 byte length times 1 and at least a third of it: cheap and safe.
  const bytes = text.length > limits.maxBytes / 3 ? Buffer.byteLength(text, 'utf8') : text.length;
  if (bytes > limits.maxBytes) {
    throw new YamlLimitError(file, 1, `is ${mib(bytes)}, more than the ${mib(limits.maxBytes)} a YAML input may have: split it into several files`);
  }
}

/** Document count check; throws YamlLimitError. */
export function checkYamlDocumentCount(count: number, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): void {
  if (count > limits.maxDocuments) {
    throw new YamlLimitError(file, 1, `holds ${count} documents, more than the ${limits.maxDocuments} allowed in one file: split it into several files`);
  }
}

/**
 * Walks one loaded document; throws YamlLimitError when it has more nodes (aliases expanded) or more
 * nesting than allowed. `line` is the document's first line, for the message.
 */
export function checkYamlValue(value: unknown, file: string, line = 1, limits: YamlLimits = DEFAULT_YAML_LIMITS): void {
  if (value === null || typeof value !== 'object') return;
  let nodes = 0;
  const stack: [unknown, number][] = [[value, 1]];
  const seen = new Set<object>();
  let aliased = false;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    nodes++;
    if (nodes > limits.maxNodes) {
      const why = aliased ? 'its aliases (*name) expand to' : 'it has';
      throw new YamlLimitError(file, line, `document is too large: ${why} more than ${limits.maxNodes} nodes (a YAML alias bomb?): remove the aliases or split the document`);
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) throw new YamlLimitError(file, line, `document nests deeper than ${limits.maxDepth} levels: no Teleport resource does; check the file`);
    if (seen.has(v)) aliased = true;
    else seen.add(v);
    if (v instanceof Date) continue;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) stack.push([c, depth + 1]);
  }
}

/** The `yaml` library's alias guard (a ReferenceError from toJS) as a YamlLimitError, or undefined. */
export function yamlLimitFromError(err: unknown, file: string, line = 1): YamlLimitError | undefined {
  const m = (err as Error)?.message ?? '';
  if (/Excessive alias count/i.test(m)) return new YamlLimitError(file, line, 'document is too large: its aliases (*name) expand beyond the allowed size (a YAML alias bomb?): remove the aliases');
  if (err instanceof RangeError && /call stack/i.test(m)) return new YamlLimitError(file, line, 'document nests too deeply to be read: check the file');
  return undefined;
}
