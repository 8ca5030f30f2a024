/** Shared wording of the reports: values, statuses, section titles. */
import { listDelta } from '../diff';
import { FieldChange, ResourceFinding, SectionCounts, SectionResult } from '../types';

const MAX_VALUE = 240;
const PLAIN = /^[A-Za-z0-9_.:@/*+=-][A-Za-z0-9_.:@/*+= -]*$/;

function scalar(v: unknown): string {
  if (typeof v === 'string') {
    const ambiguous = v === '' || v.endsWith(' ') || /^(true|false|null|~|-?\d+(\.\d+)?)$/i.test(v);
    return PLAIN.test(v) && !ambiguous ? v : JSON.stringify(v);
  }
  return String(v);
}

function render(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${scalar(k)}: ${render(x)}`).join(', ')}}`;
  }
  return scalar(v);
}

/** A value on one line: strings bare when unambiguous, lists [a, b], objects {k: v}; long values cut. */
export function formatValue(v: unknown): string {
  const s = render(v).replace(/\s*\n\s*/g, ' ');
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** "(added x; removed y)" for list-valued changes, or "". */
export function deltaText(c: FieldChange): string {
  const d = listDelta(c);
  if (!d) return '';
  const parts: string[] = [];
  if (d.added.length > 0) parts.push(`added ${d.added.map(formatValue).join(', ')}`);
  if (d.removed.length > 0) parts.push(`removed ${d.removed.map(formatValue).join(', ')}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

export const SYSTEM_TITLES: Record<SectionResult['system'], string> = { teleport: 'Teleport', mattermost: 'Mattermost', terraform: 'Terraform' };

export const STATUS_MARK: Record<ResourceFinding['status'], string> = { changed: '~', missing: '-', unmanaged: '+', ignored: ' ' };

export function countsText(c: SectionCounts): string {
  const parts = [`${c.managed} managed`, `${c.inSync} in sync`];
  if (c.changed) parts.push(`${c.changed} changed`);
  if (c.missing) parts.push(`${c.missing} missing`);
  if (c.unmanaged) parts.push(`${c.unmanaged} unmanaged`);
  if (c.ignored) parts.push(`${c.ignored} ignored`);
  return parts.join(', ');
}

export function verdict(exitCode: number, drift: boolean): string {
  if (exitCode === 1) return drift ? 'error (some checks could not run; drift was found in the others)' : 'error (some checks could not run)';
  return drift ? 'drift detected' : 'no drift';
}

/** How a finding is named: Terraform by its address, others as kind/name. */
export function resourceLabel(system: SectionResult['system'], f: ResourceFinding): string {
  return system === 'terraform' ? f.name : `${f.kind}/${f.name}`;
}
