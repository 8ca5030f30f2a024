/**
 * The model's validity check (`kindModel(kind).problems`, as synthesis and DA-010 run it) over 11,000 resources
 * (1,000 roles + 10,000 users), and over the real-Teleport corpus in test/corpus/teleport. The first round
 * includes compiling the ajv schemas; the best of the others is the steady cost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { kindModel, parseTeleportVersion, parseYamlDocuments, TeleportResource } from '../model';
import { generateOrg } from './org';

const target = parseTeleportVersion('18.0');

function timeRounds(label: string, resources: readonly TeleportResource[], rounds = 5): void {
  const times: number[] = [];
  let problems = 0;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    problems = 0;
    for (const r of resources) problems += kindModel(r.kind)?.problems(r, target).length ?? 0;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const best = Math.min(...times.slice(1));
  console.log(`${label.padEnd(52)} first ${times[0]!.toFixed(0).padStart(5)} ms   best ${best.toFixed(1).padStart(7)} ms   (${problems} problems)`);
}

function corpus(dir: string): TeleportResource[] {
  const root = path.join(__dirname, '..', 'test', 'corpus', 'teleport', dir);
  return fs
    .readdirSync(root)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseYamlDocuments(fs.readFileSync(path.join(root, f), 'utf8'), f).map((d) => d.value as TeleportResource));
}

timeRounds('synthetic organisation, 11,000 resources', generateOrg({ roles: 1000, users: 10000 }));
const accepted = corpus('accepted');
const rejected = corpus('rejected');
timeRounds(`corpus: ${accepted.length} accepted documents`, accepted, 20);
timeRounds(`corpus: ${rejected.length} rejected documents`, rejected, 20);
console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
