import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a secret to `path` with mode 0600, atomically and without replacing anything: the content goes to a
 * temporary file created 0600 in the same directory, which is then hard-linked to `path` (fails if `path`
 * exists) and removed. Readers never see a partial or world-readable file.
 */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // the creation mode is subject to umask; make it exact
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(tmp, path);
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}

/** Fails early (before anything is created on a server) when `path` cannot be written later. */
export async function assertSecretFileWritable(path: string): Promise<void> {
  const exists = await fs.lstat(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`${path} already exists; refusing to overwrite it (remove it or choose another file)`);
  const dir = dirname(path);
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat || !stat.isDirectory()) throw new Error(`directory ${dir} does not exist`);
  await fs.access(dir, fs.constants.W_OK).catch(() => {
    throw new Error(`directory ${dir} is not writable`);
  });
}
