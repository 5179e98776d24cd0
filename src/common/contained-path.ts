import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DomainError, invalid, notFound } from './domain-error';

export function isInside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Names for the answers: the setting (`MODEL_DIR`), the thing (`file`, `folder`), and the code prefix. */
export interface ContainedPathOptions {
  setting: string;
  kind: 'file' | 'folder';
  code: string;
  /** Said when the setting is missing, e.g. `upload the file instead`. */
  otherwise: string;
}

/**
 * The real path of `path` (relative to the directory `root`, which the setting names), refused
 * unless it stays inside it. Containment is decided on the text before the file system is
 * touched, so a path outside `root` gets the same answer whether or not something exists there;
 * a link inside `root` that points out of it is refused too.
 */
export async function resolveInside(root: string | undefined, path: string, names: ContainedPathOptions) {
  const { setting, kind, code, otherwise } = names;
  if (!root) throw invalid(`${code}_dir_not_configured`, `a ${kind} path needs ${setting}, not set here; ${otherwise}`);
  if (isAbsolute(path) || path.includes('\0'))
    throw invalid(`invalid_${code}_path`, `path must be relative to ${setting}`);
  const base = await realpath(root).catch(() => {
    throw invalid(`${code}_dir_missing`, `${setting} does not exist on this server; ${otherwise}`);
  });
  const escapes = () => invalid(`invalid_${code}_path`, `path escapes ${setting}`);
  if (!isInside(base, resolve(base, path))) throw escapes();
  const real = await realpath(resolve(base, path)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
      throw notFound(`${code}_${kind}_not_found`, `no ${kind} ${path} in ${setting}`);
    throw unreadable(code, kind, path, setting);
  });
  if (!isInside(base, real)) throw escapes();
  const found = await stat(real);
  const wanted = kind === 'file' ? found.isFile() : found.isDirectory();
  if (!wanted) {
    const what = found.isDirectory() ? 'a directory' : found.isFile() ? 'a file' : 'not a regular file';
    throw invalid(`${code}_path_not_a_${kind}`, `${path} in ${setting} is ${what}; name a ${kind}`);
  }
  return real;
}

export function unreadable(code: string, kind: string, path: string, setting: string): DomainError {
  return invalid(`${code}_${kind}_unreadable`, `${path} in ${setting} cannot be read`);
}
