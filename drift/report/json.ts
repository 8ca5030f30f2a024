/** The machine-readable report: DriftReport as JSON (absent values are left out of before/after). */
import { DriftReport } from '../types';

export function renderJson(r: DriftReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
