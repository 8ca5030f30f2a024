/** Report formats by name. */
import { ReviewResult } from '../review';
import { ReportOptions } from './common';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'markdown', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const FORMATTERS: Record<ReportFormat, (r: ReviewResult, o: ReportOptions) => string> = {
  text: formatText,
  markdown: formatMarkdown,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export function formatReport(result: ReviewResult, format: ReportFormat, opts: ReportOptions = {}): string {
  return FORMATTERS[format](result, opts);
}

export type { ReportOptions } from './common';
