/**
 * The backend as the benches run it: its own process, started with the Node
 * flags of the Dockerfile's CMD so a bench measures the process users run,
 * logging to a file (a pipe made the server wait on its reader), on port 0.
 * `env` adds to or overrides the defaults below (no proxy auth, no rate limit).
 */
import { spawn, type ChildProcess } from 'child_process';
import { closeSync, openSync, readFileSync } from 'fs';
import { join, resolve } from 'path';

const repoRoot = resolve(__dirname, '..');

/**
 * The Node flags the container image runs the backend with (the Dockerfile's
 * `CMD ["node", ...flags, script]`), so the bench measures the process users run.
 */
export function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile);
  const words: unknown = cmd ? JSON.parse(cmd[1]!) : undefined;
  if (!Array.isArray(words) || words[0] !== 'node' || !words.every((word) => typeof word === 'string')) {
    throw new Error('Dockerfile: expected a line CMD ["node", ...flags, "<script>"]');
  }
  return words.slice(1, -1) as string[];
}

export async function startBackend(
  env: Record<string, string>,
  logPath: string,
): Promise<{ url: string; child: ChildProcess }> {
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...imageNodeFlags(), '--import', 'tsx', 'src/backend/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CDEVENTS_PROXY_AUTH: 'off',
      CDEVENTS_INGEST_RATE_LIMIT: '0',
      CDEVENTS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const output = readFileSync(logPath, 'utf8');
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) return { url: match[1]!, child };
    if (exited !== undefined) throw new Error(`backend exited with ${exited}:\n${output}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`backend did not start within 60 s:\n${readFileSync(logPath, 'utf8')}`);
}

export async function stopBackend(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}
