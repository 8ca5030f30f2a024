/** Small helpers shared by rules (the model's copy, shared with synthesis). */
export * from '../../model/rules/util';
