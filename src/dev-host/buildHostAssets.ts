/**
 * Builds the stand-in's browser assets (react19.js, shell.js) with webpack's Node
 * API into `outDir`. Each caller passes its own directory, so a test run and
 * `npm start` never overwrite each other's files.
 */
import { createRequire } from 'module';
import { join } from 'path';
import webpack from 'webpack';

const load = createRequire(__filename);

export const HOST_ASSET_FILES = ['react19.js', 'shell.js'] as const;

/** Runs the host webpack build; rejects with webpack's error messages when it fails. */
export async function buildHostAssets(outDir: string): Promise<string> {
  const createConfig = load(join(__dirname, 'webpack.host.js')) as (dir: string) => webpack.Configuration[];
  const compiler = webpack(createConfig(outDir));
  const stats = await new Promise<webpack.MultiStats | undefined>((resolve, reject) =>
    compiler.run((error, result) => (error ? reject(error) : resolve(result))),
  );
  await new Promise<void>((resolve) => compiler.close(() => resolve()));
  if (!stats || stats.hasErrors()) {
    const messages = stats?.toJson({ all: false, errors: true }).errors?.map((e) => e.message) ?? [];
    throw new Error(`dev-host: building the host assets failed:\n${messages.join('\n')}`);
  }
  return outDir;
}
