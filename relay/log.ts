/**
 * Structured logs for the relay: one JSON object per line ({time, level, msg, ...fields}), filtered by
 * the `[log] severity` of the plugin TOML and written to `[log] output` (stdout, stderr or a file).
 *
 * Secrets never reach the output: fields whose name looks secret (token, password, key, ...) are
 * replaced, and every registered secret value (the Mattermost token) is cut out of any string,
 * including error messages. A small wrapper rather than a logging library: the relay needs levels,
 * JSON lines and redaction, nothing more, and the bundle stays dependency-free here.
 */
import * as fs from 'node:fs';
import { scrubSecrets } from '../model/secret-scrub';

export type Severity = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<Severity, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Fields): Logger;
  enabled(level: Severity): boolean;
  /** Registers a secret value: it is replaced by [REDACTED] wherever it appears from now on. */
  addSecret(value: string): void;
  /** Flushes and closes a file output. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  severity?: Severity;
  /** "stdout" | "stderr" | a file path; or a function receiving each line (tests). */
  output?: string | ((line: string) => void);
  secrets?: string[];
  base?: Fields;
}

const SECRET_FIELD = /(token|secret|password|passwd|private|authorization|credential|cookie|^key$|_key$|privatekey)/i;
const REDACTED = '[REDACTED]';

class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string): void {
    // Any length: a short token is still a token (the model's scrubber cuts it wherever it appears).
    if (value && value.trim()) this.secrets.add(value.trim());
  }

  text(s: string): string {
    return scrubSecrets(s, [...this.secrets]);
  }

  value(v: unknown, depth = 0): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : v;
    if (depth > 5) return '[…]';
    if (v instanceof Error) {
      const e = v as Error & { code?: unknown };
      return { name: e.name, message: this.text(e.message), ...(e.code !== undefined ? { code: String(e.code) } : {}) };
    }
    if (Array.isArray(v)) return v.slice(0, 50).map((x) => this.value(x, depth + 1));
    const out: Fields = {};
    for (const [k, x] of Object.entries(v as Fields)) out[k] = SECRET_FIELD.test(k) ? REDACTED : this.value(x, depth + 1);
    return out;
  }
}

/** Accepts Teleport's severity spellings (logger.Setup): info, err, error, debug, warn, warning. */
export function parseSeverity(text: string): Severity | undefined {
  switch (text.trim().toLowerCase()) {
    case 'debug':
      return 'debug';
    case 'info':
    case '':
      return 'info';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'err':
    case 'error':
      return 'error';
    default:
      return undefined;
  }
}

type Sink = { write(line: string): void; close(): Promise<void> };

function openSink(output: LoggerOptions['output']): Sink {
  if (typeof output === 'function') return { write: output, close: async () => undefined };
  switch ((output ?? 'stderr').toLowerCase()) {
    case 'stdout':
    case 'out':
    case '1':
      return { write: (l) => process.stdout.write(`${l}\n`), close: async () => undefined };
    case 'stderr':
    case 'error':
    case '2':
    case '':
      return { write: (l) => process.stderr.write(`${l}\n`), close: async () => undefined };
    default: {
      // Appends (Teleport's plugin truncates its log file on every start, losing the previous run).
      const fd = fs.openSync(output as string, 'a', 0o640);
      return {
        write: (l) => fs.writeSync(fd, `${l}\n`),
        close: async () => fs.closeSync(fd),
      };
    }
  }
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const redactor = new Redactor();
  for (const s of opts.secrets ?? []) redactor.add(s);
  const sink = openSink(opts.output);
  const threshold = RANK[opts.severity ?? 'info'];

  const make = (base: Fields): Logger => {
    const emit = (level: Severity, msg: string, fields?: Fields) => {
      if (RANK[level] < threshold) return;
      const line = { time: new Date().toISOString(), level, msg: redactor.text(msg), ...(redactor.value({ ...base, ...fields }) as Fields) };
      try {
        sink.write(JSON.stringify(line));
      } catch {
        // A broken log output must not take the relay down.
      }
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
      enabled: (level) => RANK[level] >= threshold,
      addSecret: (v) => redactor.add(v),
      close: () => sink.close(),
    };
  };
  return make(opts.base ?? {});
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return createLogger({ output: () => undefined, severity: 'error' });
}
