/**
 * Builds /extensions.js the way argocd-server's serveExtensions does: a recursive,
 * lexically ordered walk of the extensions directory, keeping regular files (not
 * directories, not symlinks) whose base name matches ^extension(.*)\.js$, each
 * wrapped in its own try/catch (Argo CD 3.5+) so one broken extension cannot stop
 * the others from registering.
 */
import { lstatSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

export const EXTENSION_FILE_PATTERN = /^extension(.*)\.js$/;

/** The files argocd-server would serve, in the order it concatenates them. A missing dir serves nothing. */
export function listExtensionFiles(dir: string): string[] {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (stat.isSymbolicLink() || !stat.isDirectory()) return [];
  const found: string[] = [];
  // Go's filepath.Walk sorts each directory's entries by name (byte order), depth first.
  const names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(dir, name);
    const entry = lstatSync(path);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) found.push(...listExtensionFiles(path));
    else if (entry.isFile() && EXTENSION_FILE_PATTERN.test(name)) found.push(path);
  }
  return found;
}

/** The body of /extensions.js for `dir`, wrapped file by file as argocd-server does. */
export function buildExtensionsScript(dir: string): string {
  return listExtensionFiles(dir)
    .map((path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      // argocd-server writes the walked path and then the name again; kept for fidelity.
      return (
        `// source: ${path}/${name} \ntry {\n${readFileSync(path, 'utf8')}` +
        `\n} catch(e) { console.error('Extension ${name} failed to load:', e); }\n`
      );
    })
    .join('');
}
