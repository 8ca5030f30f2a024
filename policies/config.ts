/** Moved to the model (shared with synthesis): model/rules/config.ts. */
export * from '../model/rules/config';
