/**
 * Fast multi-document YAML reading with lazy line numbers. The `yaml` library (used by the model for
 * exact positions) needs ~1.3 s for an organisation of 11,000 resources; js-yaml reads the same in ~0.2 s.
 * So documents are split at their `---` markers, each is loaded with js-yaml (YAML 1.2 core schema, as
 * the model reads it), and the model's parser runs on one document only when a finding needs a line.
 * Anything unusual (directives, a parse error) goes through the model's parser, which names file and line.
 */
import * as jsYaml from 'js-yaml';
import { checkYamlDocumentCount, checkYamlText, checkYamlValue, parseYamlDocuments, ParsedDocument, YamlInputError } from '../model';

export type YamlDocument = ParsedDocument;

interface Part {
  text: string;
  /** 1-based file line of the part's first line. */
  startLine: number;
}

const MARKER = /^---(?=\s|$)/;
const END = /^\.\.\.\s*$/;

function splitDocuments(text: string): Part[] | undefined {
  const lines = text.split('\n');
  const parts: Part[] = [];
  let current: string[] = [];
  let start = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('%')) return undefined; // directives: leave to the full parser
    if (MARKER.test(line)) {
      if (current.length > 0) parts.push({ text: current.join('\n'), startLine: start });
      current = ['   ' + line.slice(3)]; // keep columns, drop the marker
      start = i + 1;
    } else if (END.test(line)) {
      current.push('');
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) parts.push({ text: current.join('\n'), startLine: start });
  return parts;
}

function firstContentLine(part: Part): number {
  const lines = part.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as string).trim();
    if (t !== '' && !t.startsWith('#')) return part.startLine + i;
  }
  return part.startLine;
}

function lazyDocument(value: unknown, file: string, part: Part): YamlDocument {
  let exact: ParsedDocument | undefined;
  const line = firstContentLine(part);
  return {
    value,
    file,
    line,
    lineOf(path) {
      if (!exact) exact = parseYamlDocuments(part.text, file)[0];
      if (!exact) return line;
      return exact.lineOf(path) + part.startLine - 1;
    },
  };
}

/** Parses multi-document YAML (or JSON); throws the model's YamlInputError (file:line) on malformed input. */
export function readYamlDocuments(text: string, file: string): YamlDocument[] {
  checkYamlText(text, file);
  const parts = splitDocuments(text);
  if (!parts) return parseYamlDocuments(text, file);
  checkYamlDocumentCount(parts.length, file);
  const out: YamlDocument[] = [];
  for (const part of parts) {
    let value: unknown;
    try {
      value = jsYaml.load(part.text, { schema: jsYaml.CORE_SCHEMA, filename: file });
    } catch (err) {
      parseYamlDocuments(text, file); // throws with the model's wording when it agrees the input is malformed
      const mark = (err as { mark?: { line?: number } }).mark;
      const reason = (err as { reason?: string }).reason ?? (err as Error).message.split('\n')[0];
      throw new YamlInputError(file, part.startLine + (mark?.line ?? 0), `malformed YAML: ${reason}`);
    }
    if (value === null || value === undefined) continue; // empty document
    checkYamlValue(value, file, firstContentLine(part)); // before anything walks it: aliases expand there
    out.push(lazyDocument(value, file, part));
  }
  return out;
}
