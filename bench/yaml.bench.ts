/**
 * The two YAML libraries on the benchmark organisation (1,000 roles, 10,000 users as one teleport.yaml),
 * and what the input bounds cost: js-yaml load vs `yaml` parseAllDocuments + toJS (the line-aware
 * parser), js-yaml dump vs `yaml` stringify, the node-count walk of model/yaml-limits, and the time to
 * refuse an alias bomb. Prints numbers; asserts nothing. Best of 3 runs each.
 *   node --import tsx bench/yaml.bench.ts
 */
import { performance } from 'node:perf_hooks';
import * as jsYaml from 'js-yaml';
import { parseAllDocuments, stringify } from 'yaml';
import { checkYamlValue, parseYamlDocuments, resourcesToYaml } from '../model';
import { readYamlDocuments } from '../policies/yaml-documents';
import { generateOrganisation } from './review.bench';

function best(label: string, f: () => unknown): number {
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t);
  }
  process.stdout.write(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms\n`);
  return ms;
}

const resources = generateOrganisation();
const text = resourcesToYaml(resources);
process.stdout.write(`organisation: ${resources.length} resources, ${(text.length / 1024 / 1024).toFixed(1)} MiB of YAML\n`);
const js = best('load: js-yaml loadAll (CORE_SCHEMA)', () => jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA }));
const ya = best('load: yaml parseAllDocuments + toJS (line-aware)', () => parseAllDocuments(text).map((d) => d.toJS()));
best('load: review reader (js-yaml per document, bounds on)', () => readYamlDocuments(text, 'teleport.yaml'));
best('load: model parseYamlDocuments (yaml, bounds on)', () => parseYamlDocuments(text, 'teleport.yaml'));
const docs = jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA });
best('bounds: node-count walk of every document', () => docs.forEach((d) => checkYamlValue(d, 'teleport.yaml')));
const dj = best('dump: js-yaml (sortKeys)', () => resources.map((r) => jsYaml.dump(r, { sortKeys: true, lineWidth: -1, noRefs: true })).join('---\n'));
const dy = best('dump: yaml stringify (sortMapEntries)', () => resources.map((r) => stringify(r, { sortMapEntries: true, lineWidth: 0 })).join('---\n'));
process.stdout.write(`ratio yaml/js-yaml: load ${(ya / js).toFixed(1)}x, dump ${(dy / dj).toFixed(1)}x\n`);

const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');
best('alias bomb (10^8 nodes): review reader refuses it', () => {
  try {
    readYamlDocuments(bomb, 'bomb.yaml');
  } catch {
    /* refused, as expected */
  }
});
const mem = process.memoryUsage().rss / 1024 / 1024;
process.stdout.write(`rss after all: ${mem.toFixed(0)} MiB\n`);
