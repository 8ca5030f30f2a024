/** Malformed or oversized YAML input: names the file and line; callers map it to their bad-input exit code. */
export class YamlInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}
