/**
 * `npm ci` (the README's first command, and CI's) refuses a lock file that names an
 * optional dependency without an entry for it. `npm install` writes such a lock
 * silently when the registry lacks a platform build of an optional dependency
 * (it happened with unrs-resolver 1.13.0's bindings), so a new user's first
 * command would fail. This holds the lock to what `npm ci` accepts.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

interface LockPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(__dirname, '../../package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

/** Where npm resolves `name` from the package at `path`: nested first, then each parent's node_modules. */
function resolveEntry(path: string, name: string): LockPackage | undefined {
  let base = path;
  for (;;) {
    const entry = lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`];
    if (entry) return entry;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

const optionals = Object.entries(lock.packages).flatMap(([path, entry]) =>
  Object.keys(entry.optionalDependencies ?? {}).map((name) => [path || '(root)', name] as const),
);

describe('package-lock.json is one npm ci accepts', () => {
  it('has optional dependencies to check', () => {
    expect(optionals.length).toBeGreaterThan(0);
  });

  it.each(optionals)('%s: its optional dependency %s has a lock entry', (path, name) => {
    expect(resolveEntry(path === '(root)' ? '' : path, name)).toBeDefined();
  });
});
