/**
 * `npm run release` against the real build: the tarball the installer downloads, its checksum
 * file, and the CHANGELOG entry. Runs the script with a temporary release folder and changelog,
 * so the repository's CHANGELOG.md is never touched.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { list } from 'tar';
import { checksumPath, ensureBuilt, repoRoot, tarPath } from '../helpers/build';
import { buildChangelogEntry, parseChecksum, prependChangelogEntry, runRelease } from '../../scripts/release';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

function listTarEntries(file: string): string[] {
  const entries: string[] = [];
  list({ file, sync: true, onReadEntry: (entry) => entries.push(entry.path) });
  return entries;
}

describe('npm run release (real build, temporary release folder and changelog)', () => {
  let work: string;
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'cdevents-release-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const runScript = (changelog: string): string =>
    execFileSync(join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/release.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDEVENTS_RELEASE_SKIP_BUILD: '1',
        CDEVENTS_RELEASE_DIR: join(work, 'release'),
        CDEVENTS_CHANGELOG: changelog,
        CDEVENTS_RELEASE_DATE: '2026-09-30',
      },
    });

  it('puts the tarball and its checksum file in release/v<version>/, byte for byte', () => {
    const changelog = join(work, 'CHANGELOG-1.md');
    const out = runScript(changelog);
    const folder = join(work, 'release', `v${version}`);
    expect(readFileSync(join(folder, 'extension.tar.gz'))).toEqual(readFileSync(tarPath));
    expect(readFileSync(join(folder, 'extension_checksums.txt'), 'utf8')).toBe(readFileSync(checksumPath, 'utf8'));
    const sha256 = createHash('sha256')
      .update(readFileSync(join(folder, 'extension.tar.gz')))
      .digest('hex');
    expect(out).toContain(`sha256 ${sha256}`);
  });

  it('the released checksum file has the line the installer greps for the tarball', () => {
    const folder = join(work, 'release', `v${version}`);
    const sha256 = createHash('sha256')
      .update(readFileSync(join(folder, 'extension.tar.gz')))
      .digest('hex');
    expect(readFileSync(join(folder, 'extension_checksums.txt'), 'utf8')).toBe(`${sha256}  extension.tar.gz\n`);
  });

  it('the released tarball holds the bundle at resources/extension-cdevents.js/extensions-cdevents.js and nothing else', () => {
    const files = listTarEntries(join(work, 'release', `v${version}`, 'extension.tar.gz')).filter(
      (p) => !p.endsWith('/'),
    );
    expect(files).toEqual(['resources/extension-cdevents.js/extensions-cdevents.js']);
    // argocd-server serves files whose base name matches this; the installer finds the directory by it.
    expect(files[0].split('/').pop()).toMatch(/^extension(.*)\.js$/);
  });

  it('adds one CHANGELOG entry for the version, and running again does not duplicate it', () => {
    const changelog = join(work, 'CHANGELOG-2.md');
    writeFileSync(changelog, '# Changelog\n\nIntro.\n\n## v0.0.9 (2026-01-01)\n\n- Older.\n');
    expect(runScript(changelog)).toContain(`CHANGELOG: added v${version}`);
    const once = readFileSync(changelog, 'utf8');
    expect(runScript(changelog)).toContain('already has an entry');
    const twice = readFileSync(changelog, 'utf8');
    expect(twice).toBe(once);
    expect(once.split(`## v${version} (2026-09-30)`)).toHaveLength(2);
    // Newest first, below the introduction.
    expect(once.indexOf('Intro.')).toBeLessThan(once.indexOf(`## v${version}`));
    expect(once.indexOf(`## v${version}`)).toBeLessThan(once.indexOf('## v0.0.9'));
  });

  it('refuses to release a tarball that does not match its checksum file, and says so', () => {
    const dist = join(work, 'bad-dist');
    execFileSync('mkdir', ['-p', dist]);
    writeFileSync(join(dist, 'extension.tar.gz'), 'not the tarball');
    writeFileSync(join(dist, 'extension_checksums.txt'), `${'0'.repeat(64)}  extension.tar.gz\n`);
    expect(() =>
      runRelease({
        version,
        distDir: dist,
        releaseDir: join(work, 'bad-release'),
        changelogPath: join(work, 'CHANGELOG-3.md'),
        date: '2026-09-30',
        changes: [],
      }),
    ).toThrow(/extension_checksums\.txt says 0{64} but extension\.tar\.gz hashes to [0-9a-f]{64}/);
  });
});

describe('changelog and checksum helpers', () => {
  const entry = buildChangelogEntry('1.2.0', '2026-09-30', ['Add the chain view', 'Fix the cursor']);

  it('an entry has the version heading with its date and one line per change', () => {
    expect(entry).toBe('## v1.2.0 (2026-09-30)\n\n- Add the chain view\n- Fix the cursor\n');
  });

  it.each([
    ['an empty file', '', '# Changelog\n\n' + entry],
    ['a title only', '# Changelog\n', '# Changelog\n\n' + entry],
    [
      'a title and an older entry',
      '# Changelog\n\n## v1.1.0 (2026-01-01)\n\n- Old\n',
      '# Changelog\n\n' + entry + '\n## v1.1.0 (2026-01-01)\n\n- Old\n',
    ],
  ])('prepends to %s', (_case, before, after) => {
    expect(prependChangelogEntry(before, '1.2.0', entry)).toBe(after);
  });

  it('leaves a changelog that already has the version untouched', () => {
    const text = '# Changelog\n\n## v1.2.0 (2026-09-01)\n\n- Earlier run\n';
    expect(prependChangelogEntry(text, '1.2.0', entry)).toBe(text);
  });

  it('does not mistake v1.2.0 for v1.2.0-rc.1', () => {
    const text = '# Changelog\n\n## v1.2.0-rc.1 (2026-09-01)\n\n- rc\n';
    expect(prependChangelogEntry(text, '1.2.0', entry)).toContain('## v1.2.0 (2026-09-30)');
  });

  it.each([
    ['a file without the tarball', `${'a'.repeat(64)}  other.tar.gz\n`],
    ['a short hash', 'abc  extension.tar.gz\n'],
    ['an empty file', ''],
  ])('parseChecksum rejects %s, naming the line it wanted', (_case, text) => {
    expect(() => parseChecksum(text, 'extension.tar.gz')).toThrow('has no "<sha256>  extension.tar.gz" line');
  });
});
