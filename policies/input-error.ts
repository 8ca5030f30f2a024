/** Bad input to the review (unreadable path, malformed YAML, unknown kind, duplicate resource): exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
