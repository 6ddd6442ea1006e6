/**
 * Builds the extension once per jest run, however many test files ask for it.
 * Workers run in separate processes, so the first one to take a lock directory
 * builds and writes a stamp; the others wait for the stamp.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

export const repoRoot = resolve(__dirname, '../..');
export const distDir = join(repoRoot, 'dist');
export const bundleName = 'extensions-cdevents.js';
export const tarPath = join(distDir, 'extension.tar.gz');
export const checksumPath = join(distDir, 'extension_checksums.txt');

const lockDir = join(repoRoot, 'dist', '.build-lock');
const stampFile = join(repoRoot, 'dist', '.build-stamp');

/** The id of this jest run: the parent process of the workers is the same for all of them. */
function runId(): string {
  return process.env.CDEVENTS_BUILD_RUN_ID ?? String(process.ppid);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `npm run build` unless this jest run has already done so. Returns the tarball's path. */
export function ensureBuilt(): string {
  const id = runId();
  mkdirSync(distDir, { recursive: true });
  for (;;) {
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === id && existsSync(tarPath)) return tarPath;
    try {
      mkdirSync(lockDir);
    } catch {
      // Another worker is building; a lock older than 5 minutes belongs to a dead run.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 300_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // it was just released
      }
      sleep(500);
      continue;
    }
    try {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
      writeFileSync(stampFile, id);
      return tarPath;
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}
