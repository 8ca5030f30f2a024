/** Teleport drift: declared resources against the live ones, after normalising both sides (drift/normalize.ts). */
import { resourceKey, TeleportResource } from '../model';
import { diffValues } from './diff';
import { LiveTeleport } from './live-teleport';
import { normalizeResource } from './normalize';
import { IgnoreMatcher } from './unmanaged';
import { compareFindings, countFindings, ResourceFinding, SectionCounts } from './types';

export interface TeleportComparison {
  counts: SectionCounts;
  findings: ResourceFinding[];
}

type Obj = Record<string, unknown>;

/** metadata.expires is the server's business unless the repository sets it. */
function dropUndeclared(desired: Obj, live: Obj): Obj {
  const dm = desired.metadata as Obj | undefined;
  const lm = live.metadata as Obj | undefined;
  if (lm && lm.expires !== undefined && dm?.expires === undefined) {
    const { expires: _expires, ...rest } = lm;
    return { ...live, metadata: rest };
  }
  return live;
}

/** Compares one declared resource with its live counterpart; undefined when they match. */
export function compareResource(desired: TeleportResource, live: TeleportResource): ResourceFinding | undefined {
  const d = normalizeResource(desired);
  const l = dropUndeclared(d, normalizeResource(live));
  if (JSON.stringify(d) === JSON.stringify(l)) return undefined;
  const changes = diffValues(d, l);
  if (changes.length === 0) return undefined;
  return { kind: desired.kind, name: desired.metadata.name, status: 'changed', changes };
}

export function compareTeleport(desired: readonly TeleportResource[], live: LiveTeleport, ignore: IgnoreMatcher): TeleportComparison {
  const liveByKey = new Map<string, TeleportResource>();
  for (const r of live.resources) liveByKey.set(resourceKey(r), r);
  const readKinds = new Set(live.kinds);
  const declared = new Set<string>();
  const findings: ResourceFinding[] = [];

  for (const r of desired) {
    const key = resourceKey(r);
    declared.add(key);
    const l = liveByKey.get(key);
    if (!readKinds.has(r.kind)) continue; // not read from the server: noted by the reader, neither missing nor in sync
    if (!l) {
      findings.push({ kind: r.kind, name: r.metadata.name, status: 'missing', changes: [], note: 'declared in the repository, not on the server' });
      continue;
    }
    const f = compareResource(r, l);
    if (f) findings.push(f);
  }

  for (const [key, r] of liveByKey) {
    if (declared.has(key)) continue;
    const pattern = ignore.match(r.kind, r.metadata.name, r.metadata.labels);
    findings.push(
      pattern
        ? { kind: r.kind, name: r.metadata.name, status: 'ignored', changes: [], note: `matches ignore pattern ${pattern}` }
        : { kind: r.kind, name: r.metadata.name, status: 'unmanaged', changes: [], note: 'on the server, not declared in the repository' },
    );
  }
  findings.sort(compareFindings);
  return { counts: countFindings(desired.length, findings), findings };
}
