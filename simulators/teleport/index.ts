/** The Teleport Auth gRPC simulator for tests: see simulator.ts and the README. */
export { startTeleportSimulator } from './simulator';
export type { CallLogEntry, IssueOptions, TeleportSimulator, TeleportSimulatorOptions } from './simulator';
export { Cluster, SimError, type ClusterEvent } from './cluster';
export { applyRoleServerDefaults, applyUserServerDefaults } from './server-defaults';
