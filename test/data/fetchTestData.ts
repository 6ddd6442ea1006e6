/**
 * `npm run fetch-test-data`: downloads each source of testDataSources.ts from
 * its public repository at the pinned commit, keeps the files the suite reads,
 * checks every one against test-data.sha256, makes argo-cdviz/rendered from
 * them, and only then puts the result in place as the cache. A failed or
 * refused fetch leaves the cache as it was.
 *
 *   npm run fetch-test-data                          fill the cache (CDEVENTS_TEST_DATA_CACHE or .cache/test-data)
 *   npm run fetch-test-data -- --write-checksums DIR rewrite test-data.sha256 from a data root (after a pin moves)
 */
import { createHash, randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative, sep } from 'path';
import { Parser, type ReadEntry } from 'tar';
import { writeRenderedFixtures } from './deriveRenderedFixtures';
import {
  CACHE_STAMP,
  CHECKSUMS_FILE,
  cacheDirFor,
  checksumListDigest,
  readChecksumList,
  TestDataError,
} from './resolveTestData';
import {
  TEST_DATA_SOURCES,
  archiveUrl,
  placeRepositoryPath,
  repositoryPathOf,
  type TestDataSource,
} from './testDataSources';

export interface FetchTestDataOptions {
  cacheDir?: string;
  /** Where archives are downloaded from, in GitHub's URL layout; a test points it at a local server. */
  baseUrl?: string;
  sources?: readonly TestDataSource[];
  checksums?: Map<string, string>;
  /** How long to wait for a server's first answer: an unreachable network fails fast. */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function download(url: string, connectTimeoutMs: number): Promise<Buffer> {
  const controller = new AbortController();
  const connectTimer = setTimeout(
    () => controller.abort(new Error(`no answer within ${connectTimeoutMs} ms`)),
    connectTimeoutMs,
  );
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TestDataError(`GET ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.ok) throw new TestDataError(`GET ${url} answered ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The archive's regular files, by their path below its single top folder. */
async function readArchive(archive: Buffer, url: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const [, ...rest] = entry.path.split('/');
      const path = rest.join('/');
      if (entry.type !== 'File' || !path || path.split('/').includes('..')) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(path, Buffer.concat(chunks)));
    },
  });
  await new Promise<void>((done, fail) => {
    parser.on('error', (error: Error) => fail(new TestDataError(`${url}: not a readable .tar.gz (${error.message})`)));
    parser.on('close', () => done());
    parser.end(archive);
  });
  return files;
}

function writeFile(root: string, path: string, bytes: Buffer): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
}

/** Checks one file against the list; the error names the file and both digests. */
function verify(checksums: Map<string, string>, path: string, bytes: Buffer, from: string): void {
  const expected = checksums.get(path);
  if (!expected) throw new TestDataError(`${from} holds ${path}, which test-data.sha256 does not list`);
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new TestDataError(`${path} from ${from} has sha256 ${actual}, test-data.sha256 says ${expected}: refused`);
  }
}

export async function fetchTestData(options: FetchTestDataOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? cacheDirFor();
  const sources = options.sources ?? TEST_DATA_SOURCES;
  const checksums = options.checksums ?? readChecksumList();
  const log = options.log ?? (() => undefined);
  mkdirSync(dirname(cacheDir), { recursive: true });
  const staging = `${cacheDir}.staging-${randomBytes(4).toString('hex')}`;
  try {
    const placed = new Set<string>();
    for (const source of sources) {
      const url = archiveUrl(source, options.baseUrl);
      log(`fetching ${source.repository} ${source.ref} (${source.commit.slice(0, 12)})`);
      const files = await readArchive(await download(url, options.connectTimeoutMs ?? 15_000), url);
      for (const [repositoryPath, bytes] of files) {
        const path = placeRepositoryPath(source, repositoryPath);
        if (!path) continue;
        verify(checksums, path, bytes, url);
        writeFile(staging, path, bytes);
        placed.add(path);
      }
    }
    writeRenderedFixtures(staging);
    for (const path of listFiles(join(staging, 'argo-cdviz/rendered/apps'), staging)) {
      verify(checksums, path, readFileSync(join(staging, path)), 'deriveRenderedFixtures');
      placed.add(path);
    }
    const missing = [...checksums.keys()].filter((path) => !placed.has(path));
    if (missing.length > 0) {
      throw new TestDataError(`the archives lack ${missing.length} listed file(s), e.g. ${missing[0]}: refused`);
    }
    writeFileSync(join(staging, CACHE_STAMP), `${checksumListDigest()}\n`);
    const previous = `${cacheDir}.previous-${randomBytes(4).toString('hex')}`;
    if (existsSync(cacheDir)) renameSync(cacheDir, previous);
    renameSync(staging, cacheDir);
    rmSync(previous, { recursive: true, force: true });
    log(`test data ready in ${cacheDir} (${placed.size} checked files)`);
    return cacheDir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function listFiles(dir: string, root: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/** The files of a data root that the sources place or the derivation checks byte for byte. */
export function checkedFilesOf(root: string, sources: readonly TestDataSource[] = TEST_DATA_SOURCES): string[] {
  return listFiles(root, root)
    .filter(
      (path) =>
        path.startsWith('argo-cdviz/rendered/apps/') ||
        sources.some((source) => repositoryPathOf(source, path) !== undefined),
    )
    .sort();
}

/** Files of the list that a data root lacks or holds with other bytes. */
export function findChecksumProblems(root: string, checksums = readChecksumList()): string[] {
  const problems: string[] = [];
  for (const [path, expected] of checksums) {
    const file = join(root, path);
    if (!existsSync(file)) problems.push(`${path} is missing`);
    else if (sha256(readFileSync(file)) !== expected) problems.push(`${path} differs from test-data.sha256`);
  }
  return problems;
}

function writeChecksums(root: string): void {
  const lines = checkedFilesOf(root).map((path) => `${sha256(readFileSync(join(root, path)))}  ${path}`);
  writeFileSync(CHECKSUMS_FILE, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} checksums from ${root} to ${relative(process.cwd(), CHECKSUMS_FILE)}`);
}

if (require.main === module) {
  const [flag, root] = process.argv.slice(2);
  if (flag === '--write-checksums' && root) {
    writeChecksums(root);
  } else {
    fetchTestData({ log: (line) => console.log(line) }).catch((error: Error) => {
      console.error(`fetch-test-data: ${error.message}`);
      process.exit(1);
    });
  }
}
