/**
 * Unpacks an extension archive the way argocd-extension-installer does: extract
 * it (gzip or plain tar), require a top-level resources/ directory, and copy
 * everything under it into <extensionsDir>/resources/ — the emptyDir that
 * argocd-server reads as /tmp/extensions.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { extract } from 'tar';

/**
 * Extracts `archivePath` and copies its `resources/*` into `<extensionsDir>/resources/`.
 * Throws when the archive cannot be read or has no top-level resources/ directory.
 */
export async function unpackExtension(archivePath: string, extensionsDir: string): Promise<void> {
  if (!existsSync(archivePath)) throw new Error(`extension archive ${archivePath} does not exist; run "npm run build"`);
  const staging = mkdtempSync(join(tmpdir(), 'cdevents-ext-'));
  try {
    // tar detects gzip itself, like the installer's `file --mime-type` switch between -zxf and -xf.
    await extract({ file: archivePath, cwd: staging, strict: true });
    const resources = join(staging, 'resources');
    if (!existsSync(resources) || !statSync(resources).isDirectory()) {
      throw new Error(`extension archive ${archivePath} has no top-level resources/ directory`);
    }
    const target = join(extensionsDir, 'resources');
    mkdirSync(target, { recursive: true });
    // `cp -Rf resources/* /tmp/extensions/resources/`
    for (const name of readdirSync(resources)) {
      cpSync(join(resources, name), join(target, name), { recursive: true, force: true });
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
