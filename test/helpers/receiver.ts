/**
 * A real HTTP receiver in its own process, for sink tests. It records every
 * request (headers, body, the status it answered) to a JSON-lines file before
 * answering, so the record survives the process being killed. Tests can make
 * it answer an error status, stop it (SIGKILL: connections drop as in a crash)
 * and start it again on the same port.
 *
 * Run directly (`node --import tsx test/helpers/receiver.ts <port> <logFile> <status>`) it is the server.
 */
import { spawn, type ChildProcess } from 'child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** The status the receiver answered with. */
  answered: number;
}

export interface Receiver {
  /** The URL events are posted to (the path mimics the cdviz collector's webhook). */
  readonly url: string;
  readonly port: number;
  /** From now on, answer every event with this status (201 is the collector's success). */
  answerWith(status: number): Promise<void>;
  /** Kills the process; the port refuses connections until start(). */
  stop(): Promise<void>;
  /** Starts the process again on the same port, answering `answerWith`'s last status. */
  start(): Promise<void>;
  /** Every request recorded so far, across restarts. */
  requests(): RecordedRequest[];
  /** Stops the process and deletes its records. */
  close(): Promise<void>;
}

const controlPath = '/__receiver/status';
const webhookPath = '/webhook/cdevents';

/** Spawns the receiver process on 127.0.0.1 (port 0 picks a free port the first time). */
export async function startReceiver(options: { status?: number } = {}): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'cdevents-receiver-'));
  const logFile = join(dir, 'requests.jsonl');
  let status = options.status ?? 201;
  let child: ChildProcess | undefined;
  let port = 0;

  async function spawnServer(): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', __filename, String(port), logFile, String(status)], {
      // stdin stays open while this process lives: the receiver exits when it closes, so no run leaves orphans.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      proc.once('exit', (code) => reject(new Error(`receiver exited with ${code} before listening: ${err}`)));
    });
  }

  async function kill(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  await spawnServer();
  return {
    get url() {
      return `http://127.0.0.1:${port}${webhookPath}`;
    },
    get port() {
      return port;
    },
    async answerWith(next: number) {
      status = next;
      if (!child) return;
      const response = await fetch(`http://127.0.0.1:${port}${controlPath}`, { method: 'PUT', body: String(next) });
      if (!response.ok) throw new Error(`receiver refused status ${next}: ${response.status}`);
    },
    stop: kill,
    async start() {
      if (!child) await spawnServer();
    },
    requests() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as RecordedRequest);
    },
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The receiver process itself. */
function serve(port: number, logFile: string, initialStatus: number): void {
  let status = initialStatus;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.url === controlPath && request.method === 'PUT') {
        status = Number(body);
        response.writeHead(204).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
      const record: RecordedRequest = {
        at: new Date().toISOString(),
        method: request.method ?? '',
        path: request.url ?? '',
        headers,
        body,
        answered: status,
      };
      // Written before answering: a request answered 2xx is always in the file.
      appendFileSync(logFile, `${JSON.stringify(record)}\n`);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `status ${status}`);
    });
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
  });
}

if (require.main === module) {
  const [port, logFile, status] = process.argv.slice(2);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  serve(Number(port), logFile!, Number(status));
}
