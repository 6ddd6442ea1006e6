/**
 * `npm run fetch-test-data` for real: the download, unpack, checksum and
 * install code, against a local HTTP server that serves archives the way
 * GitHub's archive download does (GET /{owner}/{repo}/archive/{commit}.tar.gz,
 * one top folder `{repo}-{commit}/`), built here from the resolved test data.
 */
import { createHash } from 'crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { create as createTar } from 'tar';
import { closedPort } from '../helpers/closedPort';
import { fetchTestData, findChecksumProblems } from './fetchTestData';
import {
  CACHE_STAMP,
  describeMissingTestData,
  findTestData,
  readChecksumList,
  testDataRoot,
  TestDataError,
} from './resolveTestData';
import { REQUIRED_FOLDERS, TEST_DATA_SOURCES, repositoryPathOf, type TestDataSource } from './testDataSources';

jest.setTimeout(60_000);

const checksums = readChecksumList();
const work = mkdtempSync(join(tmpdir(), 'cdevents-fetch-test-'));
const nowhere = join(work, 'no-shared-here');

/** Builds one source's archive from the data root, as `git archive --prefix={repo}-{commit}/` lays it out. */
async function buildArchive(source: TestDataSource, edit?: (path: string, bytes: Buffer) => Buffer): Promise<Buffer> {
  const top = `${source.repository.split('/')[1]}-${source.commit}`;
  const tree = mkdtempSync(join(work, 'tree-'));
  for (const path of checksums.keys()) {
    const repositoryPath = repositoryPathOf(source, path);
    if (repositoryPath === undefined) continue;
    const bytes = readFileSync(join(testDataRoot(), path));
    const target = join(tree, top, repositoryPath);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, edit ? edit(path, bytes) : bytes);
  }
  // A file the fetch must leave behind, as real archives hold many.
  writeFileSync(join(tree, top, 'README.md'), '# not test data\n');
  const file = join(tree, 'archive.tar.gz');
  await createTar({ gzip: true, cwd: tree, file }, [top]);
  return readFileSync(file);
}

interface ArchiveServer {
  baseUrl: string;
  requests: string[];
  serve(source: TestDataSource, archive: Buffer | undefined): void;
  close(): Promise<void>;
}

async function startArchiveServer(): Promise<ArchiveServer> {
  const archives = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const archive = archives.get(request.url ?? '');
    if (!archive) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-gzip' }).end(archive);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const path = (source: TestDataSource) => `/${source.repository}/archive/${source.commit}.tar.gz`;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    serve: (source, archive) => (archive ? archives.set(path(source), archive) : archives.delete(path(source))),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string): void => {
    for (const name of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, name.name);
      if (name.isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('fetch-test-data against a local HTTP server laid out like GitHub archive downloads', () => {
  let server: ArchiveServer;
  const cacheDir = join(work, 'cache', 'test-data');

  beforeAll(async () => {
    server = await startArchiveServer();
    for (const source of TEST_DATA_SOURCES) server.serve(source, await buildArchive(source));
  });

  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('downloads every pinned commit, keeps only the listed files byte for byte, and derives the rendered fixtures', async () => {
    await fetchTestData({ cacheDir, baseUrl: server.baseUrl });

    expect(server.requests.sort()).toEqual(
      TEST_DATA_SOURCES.map((source) => `/${source.repository}/archive/${source.commit}.tar.gz`).sort(),
    );
    expect(findChecksumProblems(cacheDir)).toEqual([]);
    expect(existsSync(join(cacheDir, 'README.md'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'argo-cdviz/rendered/bodies'))).toHaveLength(49);
    expect(readdirSync(dirname(cacheDir))).toEqual(['test-data']);
  });

  it('is found by the resolver when CDEVENTS_TEST_DATA is unset and no ../shared is beside the checkout', () => {
    expect(findTestData({ CDEVENTS_TEST_DATA_CACHE: cacheDir }, nowhere)).toEqual({ root: cacheDir, origin: 'cache' });
    expect(findTestData({ CDEVENTS_TEST_DATA_CACHE: join(work, 'empty') }, nowhere)).toBeUndefined();
  });

  it('refuses an archive with a file whose checksum does not match, names it, and leaves the cache as it was', async () => {
    const before = treeDigest(cacheDir);
    const spec = TEST_DATA_SOURCES.find((source) => source.ref === 'v0.5.1')!;
    const tampered = 'cdevents-spec/v0.5.1/schemas/servicedeployed.json';
    expect(checksums.has(tampered)).toBe(true);
    server.serve(
      spec,
      await buildArchive(spec, (path, bytes) => (path === tampered ? Buffer.from(`${bytes}\n`) : bytes)),
    );

    await expect(fetchTestData({ cacheDir, baseUrl: server.baseUrl })).rejects.toThrow(
      new RegExp(
        `^${tampered} from http://127\\.0\\.0\\.1:\\d+/cdevents/spec/archive/${spec.commit}\\.tar\\.gz has sha256 [0-9a-f]{64}, test-data\\.sha256 says ${checksums.get(tampered)}: refused$`,
      ),
    );
    expect(treeDigest(cacheDir)).toBe(before);
    expect(readdirSync(dirname(cacheDir))).toEqual(['test-data']);
    server.serve(spec, await buildArchive(spec));
  });

  it('says which download failed and how, and leaves the cache as it was', async () => {
    const before = treeDigest(cacheDir);
    const corpus = TEST_DATA_SOURCES.find((source) => source.repository === 'cdviz-dev/transformers-community')!;
    server.serve(corpus, undefined);
    await expect(fetchTestData({ cacheDir, baseUrl: server.baseUrl })).rejects.toThrow(
      `GET ${server.baseUrl}/cdviz-dev/transformers-community/archive/${corpus.commit}.tar.gz answered 404 Not Found`,
    );
    const port = await closedPort();
    await expect(fetchTestData({ cacheDir, baseUrl: `http://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/cdevents/spec/archive/[0-9a-f]{40}\\.tar\\.gz: ECONNREFUSED$`),
    );
    expect(treeDigest(cacheDir)).toBe(before);
    expect(existsSync(join(cacheDir, CACHE_STAMP))).toBe(true);
  });
});

describe('the test-data resolver', () => {
  const work2 = mkdtempSync(join(tmpdir(), 'cdevents-resolver-test-'));
  afterAll(() => rmSync(work2, { recursive: true, force: true }));

  it('takes CDEVENTS_TEST_DATA first, and refuses one that lacks a folder, naming it', () => {
    const copy = join(work2, 'copy');
    for (const folder of REQUIRED_FOLDERS)
      cpSync(join(testDataRoot(), folder), join(copy, folder), { recursive: true });
    expect(findTestData({ CDEVENTS_TEST_DATA: copy })).toEqual({ root: copy, origin: 'CDEVENTS_TEST_DATA' });

    rmSync(join(copy, 'argo-cdviz/rendered/bodies'), { recursive: true });
    expect(() => findTestData({ CDEVENTS_TEST_DATA: copy })).toThrow(TestDataError);
    expect(() => findTestData({ CDEVENTS_TEST_DATA: copy })).toThrow(
      `CDEVENTS_TEST_DATA=${copy} lacks argo-cdviz/rendered/bodies: point it at a folder laid out like ../shared`,
    );
  });

  it('explains a missing data set in one line naming both ways to provide it', () => {
    const line = describeMissingTestData({ CDEVENTS_TEST_DATA_CACHE: join(work2, 'cache') }, 'GET x: ENOTFOUND');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(`${join(work2, 'cache')} is empty`);
    expect(line).toContain('set CDEVENTS_TEST_DATA to a folder laid out like ../shared');
    expect(line).toContain('run `npm run fetch-test-data`');
    expect(line).toMatch(/\(fetching failed: GET x: ENOTFOUND\)$/);
  });
});
