/** The one model of Teleport: resources, per-version rules and defaults, access-request decisions. */
export * from './resources';
export * from './access-resources';
export * from './names';
export * from './versions';
export * from './duration';
export * from './matchers';
export * from './predicate';
export * from './access-request';
export * from './directory';
export * from './consistency';
export * from './references';
export * from './yaml';
export * from './kinds';
export * from './yaml-limits';
export { thresholdDecisionProblems } from './kinds/role';
export * from './teleport-versions';
