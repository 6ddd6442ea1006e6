/**
 * `npm start` (after `npm run build`): the backend with the demo history and the
 * local Argo CD stand-in, in one process. Prints the tab's URL; Ctrl-C stops both.
 *
 *   PORT            the backend's port (default 8080)
 *   DEV_HOST_PORT   the stand-in's port (default 8081)
 *   DEV_HOST_ROOT_PATH  serve the stand-in under a path, like argocd-server --rootpath (e.g. /argocd)
 *   CDEVENTS_DATA_DIR, DATABASE_URL, CDEVENTS_LOG_LEVEL, …  as for the backend
 */
import { resolve } from 'path';
import { startLocalStack, type LocalStack } from './startLocalStack';

const repoRoot = resolve(__dirname, '../..');

function readPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, got "${raw}"`);
    process.exit(2);
  }
  return port;
}

/** Another port to try, in range. */
function suggestPort(port: number): number {
  return port < 55536 ? port + 10000 : port - 10000;
}

async function main(): Promise<void> {
  const backendPort = readPort('PORT', 8080);
  const devHostPort = readPort('DEV_HOST_PORT', 8081);
  const dataDir = process.env.CDEVENTS_DATA_DIR || resolve(repoRoot, '.data');
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      tarPath: resolve(repoRoot, 'dist/extension.tar.gz'),
      dataDir,
      backendPort,
      devHostPort,
      rootPath: process.env.DEV_HOST_ROOT_PATH,
      env: process.env,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      const port = (error as { port?: number }).port;
      console.error(
        `Port ${port ?? ''} is already in use (backend PORT=${backendPort}, stand-in DEV_HOST_PORT=${devHostPort}).\n` +
          `Stop what uses it, or pick free ports, e.g.: PORT=${suggestPort(backendPort)} DEV_HOST_PORT=${suggestPort(devHostPort)} npm start`,
      );
      process.exit(1);
    }
    throw error;
  }

  const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}`;
  const demo = stack.demo.loaded
    ? `demo history loaded (${stack.demo.sent} requests)`
    : 'the store already had events, demo history not loaded';
  const tab = `${stack.devHostUrl}/applications/argocd/auth?tab=cdevents`;
  console.log(`Backend:          ${stack.backendUrl}  (${where}; ${demo})`);
  console.log(`Argo CD stand-in: ${stack.devHostUrl}/applications`);
  console.log(`CDEvents tab:     ${tab}  (React 19, as Argo CD 3.5+)`);
  console.log(`                  ${tab}&react=16  (React 16.14, as Argo CD 2.x-3.4)`);
  console.log('Ctrl-C stops both.');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error('Stopping anyway.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the stand-in and the backend…`);
    stack
      .close()
      .then(() => {
        console.log('Stopped.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('Error while stopping:', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
