/** Moved to the model (shared with synthesis): model/rules/privileges.ts. */
export * from '../model/rules/privileges';
