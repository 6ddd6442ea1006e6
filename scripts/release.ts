/**
 * `npm run release`: builds the extension, checks the tarball against its checksum file, copies
 * both into dist/release/v<version>/ (the two files a GitHub release carries and the installer
 * downloads), and prepends a CHANGELOG.md entry for the package.json version. Running it twice
 * for one version leaves one entry.
 *
 * Settings (environment), so tests can run it without touching the repository:
 *   CDEVENTS_RELEASE_SKIP_BUILD=1   use the existing dist/ instead of running `npm run build`
 *   CDEVENTS_RELEASE_DIR            where v<version>/ goes (default dist/release)
 *   CDEVENTS_CHANGELOG              the changelog file (default CHANGELOG.md)
 *   CDEVENTS_RELEASE_DATE           the entry's date, YYYY-MM-DD (default today, UTC)
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

const repoRoot = resolve(__dirname, '..');
export const tarName = 'extension.tar.gz';
export const checksumName = 'extension_checksums.txt';
const changelogTitle = '# Changelog';

export interface ReleaseOptions {
  version: string;
  distDir: string;
  releaseDir: string;
  changelogPath: string;
  date: string;
  /** Commit subjects since the previous release, newest first. */
  changes: string[];
}

export interface ReleaseResult {
  folder: string;
  sha256: string;
  changelogUpdated: boolean;
}

/** The heading of a version's entry; also what marks the version as already released. */
export function buildEntryHeading(version: string): string {
  return `## v${version}`;
}

/** One changelog entry: the heading with its date, then one line per change. */
export function buildChangelogEntry(version: string, date: string, changes: string[]): string {
  const lines = changes.length > 0 ? changes.map((change) => `- ${change}`) : ['- No changes recorded.'];
  return `${buildEntryHeading(version)} (${date})\n\n${lines.join('\n')}\n`;
}

/**
 * Puts the entry above older entries, below the title and any introduction. Returns the text
 * unchanged when the version already has an entry, so a re-run after a failed upload does not
 * duplicate it.
 */
export function prependChangelogEntry(changelog: string, version: string, entry: string): string {
  const heading = buildEntryHeading(version);
  const lines = changelog.split('\n');
  if (lines.some((line) => line === heading || line.startsWith(`${heading} `))) return changelog;
  if (changelog.trim() === '') return `${changelogTitle}\n\n${entry}`;
  const firstEntry = lines.findIndex((line) => line.startsWith('## '));
  if (firstEntry < 0) return `${changelog.replace(/\n*$/, '')}\n\n${entry}`;
  const head = lines.slice(0, firstEntry).join('\n').replace(/\n*$/, '');
  const rest = lines.slice(firstEntry).join('\n');
  return `${head.length > 0 ? `${head}\n\n` : ''}${entry}\n${rest}`;
}

/**
 * Reads the sha256 the checksum file gives for the tarball, in the `<sha256>  <file>` form the
 * installer greps. Throws naming the problem when the file has no such line.
 */
export function parseChecksum(checksums: string, fileName: string): string {
  for (const line of checksums.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (match && match[2] === fileName) return match[1];
  }
  throw new Error(`${checksumName} has no "<sha256>  ${fileName}" line`);
}

/** Copies the artefacts and writes the changelog. Throws when they are missing or do not match. */
export function runRelease(options: ReleaseOptions): ReleaseResult {
  const tarPath = join(options.distDir, tarName);
  const checksumPath = join(options.distDir, checksumName);
  for (const path of [tarPath, checksumPath]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: the build did not produce it`);
  }
  const sha256 = createHash('sha256').update(readFileSync(tarPath)).digest('hex');
  const listed = parseChecksum(readFileSync(checksumPath, 'utf8'), tarName);
  if (listed !== sha256) {
    throw new Error(`${checksumName} says ${listed} but ${tarName} hashes to ${sha256}: rebuild before releasing`);
  }
  const folder = join(options.releaseDir, `v${options.version}`);
  mkdirSync(folder, { recursive: true });
  copyFileSync(tarPath, join(folder, tarName));
  copyFileSync(checksumPath, join(folder, checksumName));

  const before = existsSync(options.changelogPath) ? readFileSync(options.changelogPath, 'utf8') : '';
  const entry = buildChangelogEntry(options.version, options.date, options.changes);
  const after = prependChangelogEntry(before, options.version, entry);
  if (after !== before) writeFileSync(options.changelogPath, after);
  return { folder, sha256, changelogUpdated: after !== before };
}

/** Commit subjects since the last v* tag (all of them when there is none); empty outside git. */
function readChangesSinceLastTag(): string[] {
  const git = (args: string[]): string =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    let range = 'HEAD';
    try {
      range = `${git(['describe', '--tags', '--abbrev=0', '--match', 'v*'])}..HEAD`;
    } catch {
      // no release tag yet: this is the first release
    }
    return git(['log', '--format=%s', '--no-merges', range])
      .split('\n')
      .filter((line) => line.length > 0);
  } catch {
    return [];
  }
}

function main(): void {
  const env = process.env;
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (env.CDEVENTS_RELEASE_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const date = env.CDEVENTS_RELEASE_DATE ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`CDEVENTS_RELEASE_DATE must be YYYY-MM-DD, got "${date}"`);
  const result = runRelease({
    version,
    distDir: join(repoRoot, 'dist'),
    releaseDir: resolve(repoRoot, env.CDEVENTS_RELEASE_DIR ?? 'dist/release'),
    changelogPath: resolve(repoRoot, env.CDEVENTS_CHANGELOG ?? 'CHANGELOG.md'),
    date,
    changes: readChangesSinceLastTag(),
  });
  console.log(`release v${version}: ${result.folder}`);
  console.log(`  ${tarName} sha256 ${result.sha256}`);
  console.log(
    result.changelogUpdated ? `  CHANGELOG: added v${version}` : `  CHANGELOG: v${version} already has an entry`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`release failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
