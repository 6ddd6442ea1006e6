/**
 * The one way tests reach external data (the CDEvents spec's files, the real
 * corpus, the demo's templates and rendered fixtures). Looked for, in order:
 *   1. CDEVENTS_TEST_DATA, a folder laid out like ../shared;
 *   2. ../shared beside the checkout;
 *   3. the cache `npm run fetch-test-data` fills (CDEVENTS_TEST_DATA_CACHE,
 *      default .cache/test-data in the checkout).
 * The product never reads any of it.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { createHash } from 'crypto';
import { REQUIRED_FOLDERS } from './testDataSources';

export const REPO_ROOT = resolve(__dirname, '../..');
export const CHECKSUMS_FILE = join(__dirname, 'test-data.sha256');
/** Written last into a filled cache; holds the digest of the checksum list it was checked against. */
export const CACHE_STAMP = '.complete';

export type TestDataOrigin = 'CDEVENTS_TEST_DATA' | '../shared' | 'cache';

export interface TestDataLocation {
  root: string;
  origin: TestDataOrigin;
}

export function cacheDirFor(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CDEVENTS_TEST_DATA_CACHE ?? join(REPO_ROOT, '.cache/test-data'));
}

export function checksumListDigest(): string {
  return createHash('sha256').update(readFileSync(CHECKSUMS_FILE)).digest('hex');
}

function missingFolders(root: string): string[] {
  return REQUIRED_FOLDERS.filter((folder) => !existsSync(join(root, folder)));
}

function isFilledCache(dir: string): boolean {
  const stamp = join(dir, CACHE_STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === checksumListDigest();
}

/** The problem with CDEVENTS_TEST_DATA when it is set but not usable: it is never skipped silently. */
export class TestDataError extends Error {}

/** Where the data is, or undefined when no place holds it (the fetch can fill the cache). */
export function findTestData(
  env: NodeJS.ProcessEnv = process.env,
  sharedDir = resolve(REPO_ROOT, '../shared'),
): TestDataLocation | undefined {
  const named = env.CDEVENTS_TEST_DATA;
  if (named) {
    const root = resolve(named);
    const missing = missingFolders(root);
    if (missing.length > 0) {
      throw new TestDataError(
        `CDEVENTS_TEST_DATA=${root} lacks ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}: point it at a folder laid out like ../shared (cdevents-spec/, cdevents-corpus/, argo-cdviz/), or unset it`,
      );
    }
    return { root, origin: 'CDEVENTS_TEST_DATA' };
  }
  if (missingFolders(sharedDir).length === 0) return { root: sharedDir, origin: '../shared' };
  const cache = cacheDirFor(env);
  if (isFilledCache(cache)) return { root: cache, origin: 'cache' };
  return undefined;
}

/** The one line a user sees when no data is found and the fetch could not fill the cache. */
export function describeMissingTestData(env: NodeJS.ProcessEnv = process.env, fetchProblem?: string): string {
  return (
    `no CDEvents test data: CDEVENTS_TEST_DATA is unset, ${resolve(REPO_ROOT, '../shared')} is absent and ${cacheDirFor(env)} is empty; ` +
    `set CDEVENTS_TEST_DATA to a folder laid out like ../shared, or run \`npm run fetch-test-data\` where github.com is reachable` +
    (fetchProblem ? ` (fetching failed: ${fetchProblem})` : '')
  );
}

let located: TestDataLocation | undefined;

/** The data root for tests; throws the one-line explanation when there is none. */
export function testDataRoot(): string {
  located ??= findTestData();
  if (!located) throw new TestDataError(describeMissingTestData());
  return located.root;
}

/** A path under the data root, e.g. testDataPath('cdevents-spec', 'v0.5.1', 'schemas'). */
export function testDataPath(...segments: string[]): string {
  return join(testDataRoot(), ...segments);
}

/** Parses test-data.sha256 (sha256sum's format: `<hex>  <path>`). */
export function readChecksumList(file = CHECKSUMS_FILE): Map<string, string> {
  const list = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) throw new TestDataError(`${file}: not a sha256sum line: ${line}`);
    list.set(match[2]!, match[1]!);
  }
  return list;
}
