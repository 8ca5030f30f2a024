/** Who can obtain a privileged role, and with how many people: the two-person analysis. */
export * from './types';
export { analyzeAccess } from './analyze';
export type { AnalysisOptions } from './analyze';
export { pathInWords } from './words';
