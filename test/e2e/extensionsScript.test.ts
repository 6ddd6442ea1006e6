/**
 * /extensions.js as argocd-server builds it, and archives unpacked as
 * argocd-extension-installer unpacks them: the stand-in must load extensions
 * exactly as a real Argo CD would, or the end-to-end test proves nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runInNewContext } from 'vm';
import { create } from 'tar';
import { buildExtensionsScript, listExtensionFiles } from '../../src/dev-host/buildExtensionsScript';
import { unpackExtension } from '../../src/dev-host/unpackExtension';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'extensions-script-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, content: string): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

describe('listing extension files like argocd-server', () => {
  it('walks sub-folders depth first in lexical order and keeps only regular files named ^extension(.*)\\.js$', () => {
    const b = write('resources/extension-b.js/extensions-b.js', 'b');
    const a = write('resources/extension-a.js/extensions-a.js', 'a');
    const nested = write('resources/deep/er/extension.js', 'nested');
    write('resources/extension-a.js/extension-notes.txt', 'not js');
    write('resources/myextension.js', 'prefix does not match');
    mkdirSync(join(dir, 'resources/extension-empty.js'));
    expect(listExtensionFiles(dir)).toEqual([nested, a, b]);
  });

  it('skips symlinks, as a ConfigMap mount would be skipped', () => {
    const real = write('real/extension-real.js', 'real');
    symlinkSync(real, join(dir, 'extension-link.js'));
    expect(listExtensionFiles(dir)).toEqual([real]);
  });

  it('serves nothing when the directory does not exist', () => {
    expect(buildExtensionsScript(join(dir, 'missing'))).toBe('');
  });
});

describe('running the served script', () => {
  it('wraps each file in try/catch so one throwing extension does not stop the next one', () => {
    write('resources/extension-a.js/extensions-a.js', 'throw new Error("boom");');
    write('resources/extension-b.js/extensions-b.js', 'window.loaded = "b";');
    const script = buildExtensionsScript(dir);
    const errors: unknown[][] = [];
    const window: Record<string, unknown> = {};
    runInNewContext(script, { window, console: { error: (...args: unknown[]) => errors.push(args) } });
    expect(window.loaded).toBe('b');
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe('Extension extensions-a.js failed to load:');
    expect(String(errors[0][1])).toContain('boom');
  });

  it('names each file in a source comment before its code', () => {
    const path = write('resources/extension-a.js/extensions-a.js', 'var a = 1;');
    expect(buildExtensionsScript(dir)).toBe(
      `// source: ${path}/extensions-a.js \ntry {\nvar a = 1;\n} catch(e) { console.error('Extension extensions-a.js failed to load:', e); }\n`,
    );
  });
});

describe('unpacking an archive like argocd-extension-installer', () => {
  it('copies the archive resources/ into <dir>/resources/, keeping what is already there', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'resources/extension-x.js'), { recursive: true });
    writeFileSync(join(src, 'resources/extension-x.js/extensions-x.js'), 'x');
    const archive = join(dir, 'extension.tar.gz');
    await create({ file: archive, cwd: src, gzip: true }, ['resources']);
    const target = join(dir, 'tmp-extensions');
    write('tmp-extensions/resources/extension-other.js/extensions-other.js', 'other');

    await unpackExtension(archive, target);

    expect(readFileSync(join(target, 'resources/extension-x.js/extensions-x.js'), 'utf8')).toBe('x');
    expect(existsSync(join(target, 'resources/extension-other.js/extensions-other.js'))).toBe(true);
  });

  it('accepts a plain (not gzipped) tar', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'resources'), { recursive: true });
    writeFileSync(join(src, 'resources/extension-plain.js'), 'plain');
    const archive = join(dir, 'extension.tar');
    await create({ file: archive, cwd: src }, ['resources']);
    await unpackExtension(archive, join(dir, 'out'));
    expect(readFileSync(join(dir, 'out/resources/extension-plain.js'), 'utf8')).toBe('plain');
  });

  it('refuses an archive without a top-level resources/ directory', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'dist'), { recursive: true });
    writeFileSync(join(src, 'dist/extension-x.js'), 'x');
    const archive = join(dir, 'bad.tar.gz');
    await create({ file: archive, cwd: src, gzip: true }, ['dist']);
    await expect(unpackExtension(archive, join(dir, 'out'))).rejects.toThrow(/has no top-level resources\/ directory/);
  });

  it('says to build first when the archive is missing', async () => {
    await expect(unpackExtension(join(dir, 'none.tar.gz'), join(dir, 'out'))).rejects.toThrow(/npm run build/);
  });
});
