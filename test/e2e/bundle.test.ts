// acorn comes with webpack; it is the parser that tells ES2019 from later syntax.
import { parse } from 'acorn';
import { createHash, randomBytes } from 'crypto';
import { execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as tar from 'tar';
import * as vm from 'vm';
import { bundleName, checksumPath, distDir, ensureBuilt, repoRoot, tarPath } from '../helpers/build';

const entryPath = `resources/extension-cdevents.js/${bundleName}`;

/** What argocd-extension-installer will find in the tarball: path and contents of each file entry. */
function listTarball(file: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  tar.list({
    file,
    sync: true,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => entries.set(`${entry.type}:${entry.path}`, Buffer.concat(chunks)));
    },
  });
  return entries;
}

/** Runs the bundle as argocd-server serves it: a classic script with React and ReactDOM as globals. */
function runBundle(code: string, extensionsAPI: unknown) {
  const noop = () => null;
  const fakeReact = {
    createElement: noop,
    Component: class {},
    createContext: () => ({ Provider: noop, Consumer: noop }),
    useState: noop,
  };
  // Just enough DOM for style-loader to inject its <style> element at load time.
  const document = {
    createElement: () => ({ setAttribute: noop, appendChild: noop, insertBefore: noop, childNodes: [] }),
    createTextNode: () => ({}),
    querySelector: () => ({ appendChild: noop }),
    head: { appendChild: noop },
    baseURI: 'https://argo.example.com/',
  };
  const logs: unknown[][] = [];
  const window: Record<string, unknown> = { React: fakeReact, ReactDOM: {}, document, extensionsAPI };
  window.window = window;
  const context = vm.createContext({
    ...window,
    window,
    console: { log: noop, warn: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a) },
  });
  new vm.Script(code, { filename: bundleName }).runInContext(context);
  return { logs };
}

describe('the extension bundle and tarball (built with npm run build)', () => {
  let bundle: string;
  beforeAll(() => {
    ensureBuilt();
    bundle = readFileSync(join(distDir, entryPath), 'utf8');
  }, 180_000);

  it('holds exactly resources/extension-cdevents.js/extensions-cdevents.js, the installer layout', () => {
    const entries = listTarball(tarPath);
    const files = [...entries.keys()].filter((key) => key.startsWith('File:'));
    expect(files).toEqual([`File:${entryPath}`]);
    expect(entries.get(`File:${entryPath}`)?.toString('utf8')).toBe(bundle);
  });

  it('writes a checksum line "<sha256>  extension.tar.gz" that matches the tarball', () => {
    const sha256 = createHash('sha256').update(readFileSync(tarPath)).digest('hex');
    expect(readFileSync(checksumPath, 'utf8')).toBe(`${sha256}  extension.tar.gz\n`);
  });

  it('is a classic script with no top-level import or export (argocd-server concatenates it)', () => {
    expect(() => new vm.Script(bundle)).not.toThrow();
  });

  it('parses as ES2019, so the browsers behind older Argo CD releases load it', () => {
    expect(() => parse(bundle, { ecmaVersion: 2019, sourceType: 'script' })).not.toThrow();
  });

  it('carries no copy of React or react/jsx-runtime and uses the React and ReactDOM globals', () => {
    // match() rather than toMatch(): a failure then prints the offending strings, not the whole bundle.
    expect(
      bundle.match(/react\.production|react\.development|__SECRET_INTERNALS|jsx-runtime|ReactJSXRuntime/g),
    ).toBeNull();
    expect(bundle.match(/useSyncExternalStore|useTransition|useId\b|createRoot|useInsertionEffect/g)).toBeNull();
    // webpack's `var` externals read the globals by name.
    expect(bundle.match(/=React\b/g)).not.toBeNull();
    expect(bundle.match(/=ReactDOM\b/g)).not.toBeNull();
  });

  it('carries no YAML parser: preview templates are parsed by the backend', () => {
    expect(bundle.match(/YAMLParseError|Implicit keys need|Map keys must be unique/g)).toBeNull();
  });

  it('registers the Application tab and the app view when loaded with window.extensionsAPI', () => {
    const calls: Array<{ fn: string; args: unknown[] }> = [];
    const extensionsAPI = {
      registerResourceExtension: (...args: unknown[]) => calls.push({ fn: 'resource', args }),
      registerAppViewExtension: (...args: unknown[]) => calls.push({ fn: 'appView', args }),
    };
    runBundle(bundle, extensionsAPI);
    expect(calls.map((c) => c.fn)).toEqual(['resource', 'appView']);
    expect(typeof calls[0].args[0]).toBe('function');
    expect(calls[0].args.slice(1)).toEqual(['argoproj.io', 'Application', 'CDEvents', { icon: 'fa-bolt' }]);
    expect(calls[1].args.slice(1)).toEqual(['CDEvents', 'fa-bolt']);
  });

  it('loads without throwing when window.extensionsAPI is missing', () => {
    let result: ReturnType<typeof runBundle> | undefined;
    expect(() => (result = runBundle(bundle, undefined))).not.toThrow();
    expect(result?.logs.flat().join(' ')).toContain('window.extensionsAPI is missing');
  });

  describe('extension.tar-builder, run on a copy of the repository layout', () => {
    let workDir: string;
    beforeEach(() => {
      workDir = mkdtempSync(join(tmpdir(), 'cdevents-tar-builder-'));
      copyFileSync(join(repoRoot, 'extension.tar-builder'), join(workDir, 'extension.tar-builder'));
      symlinkSync(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'));
      mkdirSync(join(workDir, 'dist/resources/extension-cdevents.js'), { recursive: true });
    });
    afterEach(() => rmSync(workDir, { recursive: true, force: true }));

    function runBuilder(bundleText: string): { status: number; output: string } {
      writeFileSync(join(workDir, 'dist', entryPath), bundleText);
      try {
        const output = execFileSync('node', [join(workDir, 'extension.tar-builder')], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
        return { status: 0, output };
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        return { status: failed.status, output: failed.stdout + failed.stderr };
      }
    }

    it('packs the same bundle into the same checksum, build after build', () => {
      const first = runBuilder(bundle);
      const checksum = readFileSync(join(workDir, 'dist/extension_checksums.txt'), 'utf8');
      expect(first.status).toBe(0);
      expect(runBuilder(bundle).status).toBe(0);
      expect(readFileSync(join(workDir, 'dist/extension_checksums.txt'), 'utf8')).toBe(checksum);
      expect(checksum).toBe(readFileSync(checksumPath, 'utf8'));
    });

    it('prints the raw and gzip size, and fails the build above 80 KiB gzip', () => {
      expect(runBuilder(bundle).output).toMatch(
        /extensions-cdevents\.js: [\d.]+ KiB raw, [\d.]+ KiB gzip \(budget 80\.0 KiB gzip\)/,
      );
      // Random bytes barely compress: 150 KB of them in base64 is far over the budget.
      const over = runBuilder(`var x = '${randomBytes(150_000).toString('base64')}';`);
      expect(over.status).toBe(1);
      expect(over.output).toMatch(/over the 80\.0 KiB budget/);
    });
  });
});
