/** The real backend (src/backend/main.ts) as a child process, for tests that restart or kill it. */
import { spawn, type ChildProcess } from 'child_process';
import { resolve } from 'path';
import { testIngestToken, testProxySecret } from './backend';

const repoRoot = resolve(__dirname, '../..');

export interface BackendProcess {
  url: string;
  child: ChildProcess;
  /** Everything it logged so far. */
  output(): string;
  /** SIGTERM, as Kubernetes does on a rollout; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startBackendProcess(env: Record<string, string>): Promise<BackendProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/backend/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CDEVENTS_PROXY_SECRET: testProxySecret,
      CDEVENTS_INGEST_TOKENS: testIngestToken,
      CDEVENTS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the backend exited with ${code} before listening:\n${output}`));
    child.once('exit', onExit);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      resolvePromise({
        url: match[1]!,
        child,
        output: () => output,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', check);
  });
}
