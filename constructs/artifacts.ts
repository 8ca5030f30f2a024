import { IConstruct } from 'constructs';

/** A file a construct adds to its stack's output directory beside cdk.tf.json. */
export interface StackArtifact {
  /** Path relative to the stack directory, e.g. "mattermost-bot.json". */
  readonly path: string;
  readonly content: string;
}

const PROVIDER_SYMBOL = Symbol.for('dualauth.ArtifactProvider');

export interface IArtifactProvider extends IConstruct {
  stackArtifacts(): StackArtifact[];
}

/** Marks a construct as contributing files to the stack output (call in its constructor). */
export function registerArtifactProvider(c: IArtifactProvider): void {
  Object.defineProperty(c, PROVIDER_SYMBOL, { value: true });
}

export function isArtifactProvider(c: IConstruct): c is IArtifactProvider {
  return (c as unknown as Record<symbol, unknown>)[PROVIDER_SYMBOL] === true;
}
