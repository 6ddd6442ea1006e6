/**
 * The stand-in for argocd-server: the host page on every /applications route,
 * /extensions.js built from the extensions directory on every request (as the
 * server walks /tmp/extensions per request), the proxy extension under
 * /extensions/<name>/, GET /api/v1/applications (the list Argo CD's UI and our
 * dashboard read), and the shell's static assets. No product logic here.
 *
 * The demo user's role: with `userProjects`, the user may `get` only the apps of
 * those projects (as an RBAC line `p, role:x, applications, get, <project>/*,
 * allow` would allow), and the stand-in behaves as argocd-server then does: the
 * shell and /api/v1/applications list only those apps, and the proxy answers
 * 401 "Unauthorized extension request" for any other.
 */
import { randomBytes } from 'crypto';
import { createReadStream, existsSync } from 'fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { dirname, join } from 'path';
import { buildExtensionsScript } from './buildExtensionsScript';
import { AUTH_COOKIE, EXTENSIONS_PREFIX, handleExtensionRequest, readCookie } from './proxyExtension';
import { renderHostPage, type ReactLine } from './renderHostPage';
import { ARGOCD_NAMESPACE, buildApplicationTree, type SampleApplication } from './data/sampleApplications';

export interface DevHostOptions {
  /** The directory argocd-server would read as /tmp/extensions (holds resources/). */
  extensionsDir: string;
  /** Where buildHostAssets wrote react19.js and shell.js. */
  assetsDir: string;
  /** The backend the proxy extension forwards to. */
  backendUrl: string;
  /** Sent as X-Cdevents-Proxy-Secret, as the extension.config `headers:` entry would. */
  proxySecret: string;
  applications: SampleApplication[];
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The extension name in `extension.config.<name>`; default cdevents. */
  extensionName?: string;
  user?: { username: string; groups: string[]; id?: string };
  /** The projects whose apps the user may get; default every project. */
  userProjects?: string[];
  /**
   * This stand-in's Argo CD instance name, sent as X-Cdevents-Instance by its
   * proxy (the `headers:` entry of extension.config), for several instances
   * sharing one backend or one event stream. Default: none (the backend's default).
   */
  instance?: string;
  /**
   * Serve under a path, as `argocd-server --rootpath /argocd` does: every route
   * (page, extensions.js, proxy) lives under it and the page's `<base href>` is
   * `<rootPath>/`. Extensions that resolve URLs against document.baseURI keep
   * working; ones that use `/`-absolute URLs break here as they would in Argo CD.
   */
  rootPath?: string;
}

export interface DevHost {
  /** e.g. http://127.0.0.1:8081, or http://127.0.0.1:8081/argocd with a root path (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const PROXY_SECRET_HEADER = 'X-Cdevents-Proxy-Secret';
export const INSTANCE_HEADER = 'X-Cdevents-Instance';

const REACT16_FILES: Record<string, string> = {
  'react.production.min.js': join(dirname(require.resolve('react-16/package.json')), 'umd/react.production.min.js'),
  'react-dom.production.min.js': join(
    dirname(require.resolve('react-dom-16/package.json')),
    'umd/react-dom.production.min.js',
  ),
};

/** Font Awesome, which Argo CD's UI loads for every page (the `fa fa-…` icons of the shell and of extensions). */
const FONT_AWESOME_DIR = dirname(require.resolve('@fortawesome/fontawesome-free/package.json'));
const FONT_AWESOME_FILE = /^(css\/all\.min\.css|webfonts\/[\w-]+\.(woff2|ttf))$/;
const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
};

/**
 * Heebo, the page font argo-ui sets on body. Argo CD's index.html links assets/fonts.css, whose
 * @font-face rules bring Heebo in weights 300, 400, 500 and 700 with font-display: swap; without the
 * webfont the browser falls back to another sans-serif whose metrics make text wider and fields
 * taller (a select.argo-field is 37px instead of Argo CD's 42px). The stand-in serves the same
 * weights from @fontsource/heebo (Latin subset).
 */
const HEEBO_DIR = join(dirname(require.resolve('@fontsource/heebo/package.json')), 'files');
const HEEBO_WEIGHTS = [300, 400, 500, 700];
const HEEBO_FILE = /^heebo-latin-(300|400|500|700)-normal\.woff2$/;
const HEEBO_CSS = HEEBO_WEIGHTS.map(
  (weight) =>
    `@font-face {\n  font-family: 'Heebo';\n  font-style: normal;\n  font-weight: ${weight};\n  font-display: swap;\n` +
    `  src: url('heebo-latin-${weight}-normal.woff2') format('woff2');\n}\n`,
).join('');

function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache' });
  res.end(body);
}

function sendFile(res: ServerResponse, path: string, contentType = 'application/javascript'): void {
  if (!existsSync(path)) return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
  createReadStream(path).pipe(res);
}

/**
 * GET /api/v1/applications as argocd-server answers it: the session cookie is
 * required (401 with a gRPC-style JSON error otherwise), the list holds only the
 * apps the user may get, and an empty list is `"items": null`. Argo CD's
 * `fields` parameter only trims the answer, so the stand-in sends whole apps.
 */
function sendApplicationList(
  req: IncomingMessage,
  res: ServerResponse,
  sessionToken: string,
  applications: SampleApplication[],
): void {
  if (req.method !== 'GET') return sendText(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
  if (readCookie(req, AUTH_COOKIE) !== sessionToken) {
    res.writeHead(401, { 'content-type': 'application/json' });
    return void res.end(
      JSON.stringify({ error: 'no session information', code: 16, message: 'no session information' }),
    );
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
  res.end(JSON.stringify({ metadata: {}, items: applications.length > 0 ? applications : null }));
}

/** "argocd/" or "/argocd/" → "/argocd"; undefined or "/" → "". */
function normalizeRootPath(rootPath: string | undefined): string {
  const trimmed = (rootPath ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && !/^[\w.-]+(\/[\w.-]+)*$/.test(trimmed)) {
    throw new Error(`dev-host: root path "${rootPath}" must be path segments of letters, digits, ".", "_" or "-"`);
  }
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Starts the stand-in's HTTP server. */
export async function startDevHost(options: DevHostOptions): Promise<DevHost> {
  const extensionName = options.extensionName ?? 'cdevents';
  const user = options.user ?? {
    username: 'alice@example.com',
    groups: ['platform-team', 'developers'],
    id: 'CiQ5ZjM0ZDEyYy1hbGljZRIEb2lkYw',
  };
  const sessionToken = randomBytes(24).toString('base64url');
  const projects = options.userProjects;
  const applications = projects
    ? options.applications.filter((app) => projects.includes(app.spec.project))
    : options.applications;
  const trees = Object.fromEntries(applications.map((app) => [app.metadata.name, buildApplicationTree(app)]));
  const proxy = {
    name: extensionName,
    backendUrl: options.backendUrl,
    headers: [
      { name: PROXY_SECRET_HEADER, value: options.proxySecret },
      ...(options.instance ? [{ name: INSTANCE_HEADER, value: options.instance }] : []),
    ],
    controlPlaneNamespace: ARGOCD_NAMESPACE,
    sessionToken,
    user,
    findApplication: (namespace: string, name: string) =>
      applications.find((a) => a.metadata.namespace === namespace && a.metadata.name === name),
  };

  const rootPath = normalizeRootPath(options.rootPath);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (rootPath) {
      const raw = req.url ?? '/';
      if (raw !== rootPath && !raw.startsWith(`${rootPath}/`) && !raw.startsWith(`${rootPath}?`)) {
        return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
      }
      // As argocd-server strips its root path before routing.
      const rest = raw.slice(rootPath.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    if (path === `${EXTENSIONS_PREFIX}` || path.startsWith(`${EXTENSIONS_PREFIX}/`)) {
      return handleExtensionRequest(proxy, req, res);
    }
    if (path === '/api/v1/applications') return sendApplicationList(req, res, sessionToken, applications);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
    }
    if (path === '/extensions.js') {
      return sendText(res, 200, 'application/javascript', buildExtensionsScript(options.extensionsDir));
    }
    if (path.startsWith('/dev-host/assets/')) {
      const name = path.slice('/dev-host/assets/'.length);
      if (name === 'react19.js' || name === 'shell.js') return sendFile(res, join(options.assetsDir, name));
      return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
    if (path.startsWith('/dev-host/fontawesome/')) {
      const file = path.slice('/dev-host/fontawesome/'.length);
      const match = FONT_AWESOME_FILE.exec(file);
      if (match) return sendFile(res, join(FONT_AWESOME_DIR, file), CONTENT_TYPES[match[2] ?? 'css']);
      return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
    if (path.startsWith('/dev-host/heebo/')) {
      const file = path.slice('/dev-host/heebo/'.length);
      if (file === 'fonts.css') return sendText(res, 200, CONTENT_TYPES.css ?? '', HEEBO_CSS);
      if (HEEBO_FILE.test(file)) return sendFile(res, join(HEEBO_DIR, file), CONTENT_TYPES.woff2);
      return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
    if (path.startsWith('/dev-host/react16/')) {
      const file = REACT16_FILES[path.slice('/dev-host/react16/'.length)];
      if (file) return sendFile(res, file);
      return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
    if (path === '/' || path === '/applications/') {
      res.writeHead(302, { location: `${rootPath}/applications${url.search}` });
      return void res.end();
    }
    const reactParam = url.searchParams.get('react');
    if (reactParam !== null && reactParam !== '16' && reactParam !== '19') {
      return sendText(res, 400, 'text/plain; charset=utf-8', `react=${reactParam}: choose 16 (React 16.14) or 19\n`);
    }
    const reactLine: ReactLine = reactParam === '16' ? '16' : '19';
    // Like argocd-server, every other path is the single-page app's index (HTML5 history routing).
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache, private, max-age=0',
      // The session cookie argocd-server sets at login: httpOnly, SameSite=Lax.
      'set-cookie': `${AUTH_COOKIE}=${sessionToken}; Path=/; HttpOnly; SameSite=Lax`,
    });
    res.end(renderHostPage({ applications, trees, user, reactLine }, `${rootPath}/`));
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      console.error('dev-host: request failed', error);
      if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${rootPath}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
