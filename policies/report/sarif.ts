/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rule metadata with stable ids, results located at the YAML
 * file and line, partialFingerprints that survive line moves, suppressions with their justification, and
 * baselineState when a base was given.
 */
import type * as Sarif from 'sarif';
import { ReviewResult } from '../review';
import { CONTROL_TITLES, Finding, Severity } from '../types';
import { countFindings, ReportOptions } from './common';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', note: '2.0' };
const FINGERPRINT_KEY = 'dualauthFinding/v1';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', note: 'note' };

function result(f: Finding, ruleIndex: number): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' }, region: { startLine: f.line } },
        ...(f.resource
          ? {
              logicalLocations: [
                { name: f.resource, fullyQualifiedName: f.field ? `${f.resource}:${f.field}` : f.resource, kind: 'resource' },
                // the construct that declared it: the TypeScript to edit
                ...(f.constructPath ? [{ name: f.constructPath.split('/').pop(), fullyQualifiedName: f.constructPath, kind: 'object' }] : []),
              ],
            }
          : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (f.baseline) out.baselineState = f.baseline === 'new' ? 'new' : 'unchanged';
  if (f.suppressed) {
    const s = f.suppressed;
    out.suppressions = [
      {
        // construct-level suppressions live in the source; file-level ones are kept beside it
        kind: s.construct ? 'inSource' : 'external',
        status: 'accepted',
        justification: s.reason,
        ...(s.source ? { location: { physicalLocation: { artifactLocation: { uri: encodeURI(s.source), uriBaseId: '%SRCROOT%' } } } } : {}),
        properties: { ...(s.owner ? { owner: s.owner } : {}), ...(s.expires ? { expires: s.expires } : {}), ...(s.construct ? { construct: s.construct } : {}) },
      },
    ];
  } else if (f.expiredSuppression) {
    out.properties = { expiredSuppression: { reason: f.expiredSuppression.reason, expires: f.expiredSuppression.expires, owner: f.expiredSuppression.owner } };
  }
  return out;
}

export function formatSarif(review: ReviewResult, opts: ReportOptions = {}): string {
  const index = new Map(review.rules.map((r, i) => [r.id, i]));
  const c = countFindings(review, opts);
  const rules = review.rules.map((r): Sarif.ReportingDescriptor => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.description },
    fullDescription: { text: `${r.description} Control: ${CONTROL_TITLES[r.control]}.` },
    help: { text: `Fix: ${r.fix}`, markdown: `**${r.id} ${r.name}** (${CONTROL_TITLES[r.control]})\n\n${r.description}\n\n**Fix:** ${r.fix}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['security', 'teleport', 'access-control', r.control], 'security-severity': SECURITY_SEVERITY[r.severity], precision: 'high', control: r.control },
  }));
  const doc: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: review.tool.name, version: review.tool.version, semanticVersion: review.tool.version, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${process.cwd().split('\\').join('/').replace(/\/?$/, '/')}` } },
        invocations: [{ executionSuccessful: true, exitCode: c.failing > 0 ? 1 : 0 }],
        results: review.findings.map((f) => result(f, index.get(f.ruleId) ?? -1)),
        properties: { failOn: opts.failOn ?? 'error', privilegeChanges: review.hasBase ? review.privilegeChanges.map((p) => p.text) : undefined },
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
