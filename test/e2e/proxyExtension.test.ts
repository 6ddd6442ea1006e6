/**
 * The stand-in's proxy extension against an echo backend, over real HTTP: it must
 * refuse what argocd-server refuses (with the same status and message) and
 * forward what it forwards, rewritten the same way, or the tab would work
 * locally and fail behind a real Argo CD.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startDevHost, type DevHost } from '../../src/dev-host/startDevHost';
import { buildSampleApplications } from '../../src/dev-host/data/sampleApplications';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const secret = 'proxy-secret-for-tests-0123456789';
let echo: Server;
let seen: Seen[] = [];
let devHost: DevHost;
let dir: string;
let cookie: string;

beforeAll(async () => {
  echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(201, { 'content-type': 'application/json', 'x-backend': 'echo' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'proxy-test-'));
  devHost = await startDevHost({
    extensionsDir: dir,
    assetsDir: dir,
    backendUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
    proxySecret: secret,
    applications: buildSampleApplications(new Date()),
    port: 0,
  });
  const page = await fetch(`${devHost.url}/applications`);
  cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
});

afterAll(async () => {
  await devHost.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
});

const appHeaders = { 'Argocd-Application-Name': 'argocd:auth', 'Argocd-Project-Name': 'identity' };

describe('requests argocd-server refuses', () => {
  const withCookie = (headers: Record<string, string>) => ({ ...headers, cookie });
  it.each([
    { refusal: 'no session cookie', headers: () => ({}), status: 400, message: 'Auth cookie not found' },
    {
      refusal: 'a session cookie it did not issue',
      headers: () => ({ cookie: 'argocd.token=forged' }),
      status: 401,
      message: 'Invalid token',
    },
    {
      refusal: 'no Argocd-Application-Name',
      headers: () => withCookie({ 'Argocd-Project-Name': 'identity' }),
      status: 400,
      message: 'Invalid headers: header "Argocd-Application-Name" must be provided',
    },
    {
      refusal: 'an application name without its namespace',
      headers: () => withCookie({ 'Argocd-Application-Name': 'auth', 'Argocd-Project-Name': 'identity' }),
      status: 400,
      message:
        'Invalid headers: error getting app details: invalid value for "Argocd-Application-Name" header: expected format: <namespace>:<app-name>',
    },
    {
      refusal: 'an invalid namespace',
      headers: () => withCookie({ 'Argocd-Application-Name': 'Argo_CD:auth', 'Argocd-Project-Name': 'identity' }),
      status: 400,
      message: 'Invalid headers: invalid value for namespace',
    },
    {
      refusal: 'no Argocd-Project-Name',
      headers: () => withCookie({ 'Argocd-Application-Name': 'argocd:auth' }),
      status: 400,
      message: 'Invalid headers: header "Argocd-Project-Name" must be provided',
    },
    {
      refusal: 'an app that does not exist',
      headers: () => withCookie({ 'Argocd-Application-Name': 'argocd:nope', 'Argocd-Project-Name': 'identity' }),
      status: 401,
      message: 'Unauthorized extension request',
    },
    {
      refusal: 'a project the app does not belong to',
      headers: () => withCookie({ 'Argocd-Application-Name': 'argocd:auth', 'Argocd-Project-Name': 'web' }),
      status: 401,
      message: 'Unauthorized extension request',
    },
  ])('refuses $refusal with $status and never calls the backend', async ({ headers, status, message }) => {
    const response = await fetch(`${devHost.url}/extensions/cdevents/api/v1/events`, { headers: headers() });
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(`${message}\n`);
    expect(seen).toHaveLength(0);
  });

  it('answers 404 "Extension not found" for an extension that is not configured', async () => {
    const response = await fetch(`${devHost.url}/extensions/metrics/api`, { headers: { ...appHeaders, cookie } });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Extension not found\n');
  });
});

describe('requests it forwards', () => {
  it('strips /extensions/cdevents and keeps the query', async () => {
    const response = await fetch(
      `${devHost.url}/extensions/cdevents/api/v1/applications/argocd/auth/events?limit=5&direction=emitted`,
      { headers: { ...appHeaders, cookie } },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('x-backend')).toBe('echo');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen[0].url).toBe('/api/v1/applications/argocd/auth/events?limit=5&direction=emitted');
  });

  it('never passes the cookie or an Authorization header to the backend', async () => {
    await fetch(`${devHost.url}/extensions/cdevents/api/v1/events`, {
      headers: { ...appHeaders, cookie, authorization: 'Bearer user-token' },
    });
    expect(seen[0].headers.cookie).toBeUndefined();
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it('adds the Argocd-* headers and the shared secret, overwriting what the browser sent', async () => {
    await fetch(`${devHost.url}/extensions/cdevents/api/v1/events`, {
      headers: {
        ...appHeaders,
        cookie,
        'Argocd-Username': 'mallory',
        'X-Cdevents-Proxy-Secret': 'guessed',
      },
    });
    expect(seen[0].headers).toMatchObject({
      'argocd-application-name': 'argocd:auth',
      'argocd-project-name': 'identity',
      'argocd-namespace': 'argocd',
      'argocd-target-cluster-url': 'https://prod-eu1.k8s.example.com',
      'argocd-username': 'alice@example.com',
      'argocd-user-groups': 'platform-team,developers',
      'argocd-user-id': 'CiQ5ZjM0ZDEyYy1hbGljZRIEb2lkYw',
      'x-cdevents-proxy-secret': secret,
    });
  });

  it('forwards the method and body of a POST', async () => {
    await fetch(`${devHost.url}/extensions/cdevents/api/v1/applications/argocd/auth/triggers`, {
      method: 'POST',
      headers: { ...appHeaders, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'roll back on incident' }),
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/applications/argocd/auth/triggers',
      body: JSON.stringify({ name: 'roll back on incident' }),
    });
    expect(seen[0].headers['content-type']).toBe('application/json');
  });
});

describe('the host page', () => {
  it('serves the same page with <base href="/"> on every application route, loading React, the shell, then extensions.js', async () => {
    for (const path of ['/applications', '/applications/argocd/auth']) {
      const html = await (await fetch(`${devHost.url}${path}`)).text();
      expect(html).toContain('<base href="/" />');
      const order = ['dev-host/assets/react19.js', 'dev-host/assets/shell.js', '<script defer src="extensions.js">'];
      const positions = order.map((part) => html.indexOf(part));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('loads React 16.14 UMD builds with ?react=16', async () => {
    const html = await (await fetch(`${devHost.url}/applications/argocd/auth?react=16`)).text();
    expect(html).toContain('dev-host/react16/react.production.min.js');
    expect(html).not.toContain('react19.js');
    const umd = await fetch(`${devHost.url}/dev-host/react16/react-dom.production.min.js`);
    expect(umd.status).toBe(200);
    expect(await umd.text()).toContain('16.14.0');
  });

  it('refuses a React line it does not have, naming the choices', async () => {
    const response = await fetch(`${devHost.url}/applications?react=18`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('choose 16 (React 16.14) or 19');
  });

  it('serves /extensions.js as JavaScript even when no extension is installed', async () => {
    const response = await fetch(`${devHost.url}/extensions.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript');
    expect(await response.text()).toBe('');
  });
});
