/** Moved to the model (shared with synthesis): model/rules/policy-index.ts. */
export * from '../model/rules/policy-index';
