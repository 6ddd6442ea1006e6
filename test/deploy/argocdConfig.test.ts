/**
 * The Argo CD configuration users paste (deploy/argocd, deploy/helm), checked against the rules
 * argocd-server and the extension installer apply (../shared/research/argocd-extensions.md §4-§5).
 * Each of these mistakes fails silently in a cluster: no proxy extension registered, a 401 on every
 * request, a header sent as the literal "$name", or an init container that blocks argocd-server.
 */
import { readFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { parse } from 'yaml';
import { buildNotificationsData } from '../../src/backend/argocd/buildNotificationsConfig';
import { instancePattern } from '../../src/backend/config';
import { checksumPath, tarPath } from '../helpers/build';
import { type Manifest, findOne, loadAllManifests, readConfigMapValue } from './loadManifests';
import {
  type ExtensionEntry,
  type SecretTemplate,
  findExtensionConfigProblems,
  parseCombinedExtensionConfig,
  parseNamedExtensionConfig,
} from './validateExtensionConfig';

const version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;
const all = loadAllManifests();
const secrets: SecretTemplate[] = all
  .filter((m) => m.kind === 'Secret')
  .map((m) => ({
    name: m.metadata!.name!,
    labels: m.metadata?.labels ?? {},
    keys: Object.keys({ ...(m.stringData as object), ...(m.data as object) }),
  }));
const helmValues = all.find((m) => m.file === 'helm/argo-cd-values.yaml') as Manifest & {
  server: { extensions: { enabled: boolean; image: { tag: string }; extensionList: Array<{ env: EnvVar[] }> } };
  configs: { params: Record<string, unknown>; cm: Record<string, string>; rbac: Record<string, string> };
};
const argocdCm = findOne(all, 'ConfigMap', 'argocd-cm', 'argocd/argocd-cm.yaml');
const legacyCm = findOne(all, 'ConfigMap', 'argocd-cm', 'argocd/legacy/argocd-cm-extension-config.yaml');
const notificationsCm = findOne(all, 'ConfigMap', 'argocd-notifications-cm');
const backendService = findOne(all, 'Service', 'cdevents-backend');
const servicePort = (backendService.spec as { ports: Array<{ port: number }> }).ports[0].port;

interface EnvVar {
  name: string;
  value?: string;
}

/** Every place an extension config is shipped, parsed as argocd-server reads it. */
const shippedConfigs: Array<[string, ExtensionEntry[]]> = [
  [
    'argocd/argocd-cm.yaml extension.config.cdevents',
    [parseNamedExtensionConfig('extension.config.cdevents', readConfigMapValue(argocdCm, 'extension.config.cdevents'))],
  ],
  [
    'argocd/legacy/argocd-cm-extension-config.yaml extension.config',
    parseCombinedExtensionConfig(readConfigMapValue(legacyCm, 'extension.config')),
  ],
  [
    'helm/argo-cd-values.yaml configs.cm',
    [parseNamedExtensionConfig('extension.config.cdevents', helmValues.configs.cm['extension.config.cdevents'])],
  ],
];

describe('the proxy extension config', () => {
  it.each(shippedConfigs)('%s passes Argo CD validation and its secret references resolve', (_where, entries) => {
    expect(findExtensionConfigProblems(entries, secrets)).toEqual([]);
  });

  it.each(shippedConfigs)('%s names the extension cdevents and points at the backend Service', (_where, entries) => {
    expect(entries.map((e) => e.name)).toEqual(['cdevents']);
    const url = new URL(String(entries[0].backend.services![0].url));
    expect(url.hostname).toMatch(/^cdevents-backend\.argocd\.svc(\.cluster\.local)?$/);
    expect(Number(url.port)).toBe(servicePort);
    // The proxy appends the stripped path itself; a path here would be prepended to every route.
    expect(url.pathname).toBe('/');
  });

  it.each(shippedConfigs)(
    '%s adds the shared-secret header from the proxy Secret and an instance name',
    (_where, entries) => {
      const headers = entries[0].backend.services![0].headers ?? [];
      expect(headers.find((h) => h.name === 'X-Cdevents-Proxy-Secret')?.value).toBe('$cdevents-proxy:proxy-secret');
      expect(headers.find((h) => h.name === 'X-Cdevents-Instance')?.value).toMatch(instancePattern);
    },
  );

  it('the backend reads the same Secret key Argo CD sends', () => {
    const backend = findOne(all, 'Deployment', 'cdevents-backend', 'base/deployment.yaml');
    const env = (backend.spec as { template: { spec: { containers: Array<{ env: Array<Record<string, unknown>> }> } } })
      .template.spec.containers[0].env;
    expect(env.find((e) => e.name === 'CDEVENTS_PROXY_SECRET')?.valueFrom).toEqual({
      secretKeyRef: { name: 'cdevents-proxy', key: 'proxy-secret' },
    });
  });
});

describe("the validator holds Argo CD's rules (each broken config is rejected with the reason)", () => {
  const good = (): ExtensionEntry => ({
    name: 'cdevents',
    backend: {
      services: [
        { url: 'http://b:8080', headers: [{ name: 'X-Cdevents-Proxy-Secret', value: '$cdevents-proxy:proxy-secret' }] },
      ],
    },
  });
  const withService = (service: object): ExtensionEntry => ({ name: 'cdevents', backend: { services: [service] } });

  it('accepts the good one', () => {
    expect(findExtensionConfigProblems([good()], secrets)).toEqual([]);
  });

  it.each<[string, ExtensionEntry[], string]>([
    ['an empty name', [{ ...good(), name: '' }], 'extension name is empty'],
    ['a name with a slash', [{ ...good(), name: 'cd/events' }], 'name does not match'],
    ['a name with a dot', [{ ...good(), name: 'cd.events' }], 'name does not match'],
    ['a duplicate name', [good(), good()], 'duplicate name'],
    ['no services', [{ name: 'cdevents', backend: { services: [] } }], 'backend.services is empty'],
    ['an empty url', [withService({ url: '' })], 'url is empty'],
    [
      'two services without cluster',
      [{ name: 'cdevents', backend: { services: [{ url: 'http://a' }, { url: 'http://b' }] } }],
      'cluster is required',
    ],
    [
      'a cluster with neither name nor server',
      [
        {
          name: 'cdevents',
          backend: {
            services: [
              { url: 'http://a', cluster: {} },
              { url: 'http://b', cluster: { name: 'x' } },
            ],
          },
        },
      ],
      'cluster needs name or server',
    ],
    ['a header without a name', [withService({ url: 'http://a', headers: [{ value: 'v' }] })], 'name is empty'],
    ['a header without a value', [withService({ url: 'http://a', headers: [{ name: 'X' }] })], 'value is empty'],
    [
      'a reference inside a longer value',
      [
        withService({
          url: 'http://a',
          headers: [{ name: 'Authorization', value: 'Bearer $cdevents-proxy:proxy-secret' }],
        }),
      ],
      'sent literally',
    ],
    [
      'a reference to a Secret deploy/ does not ship',
      [withService({ url: 'http://a', headers: [{ name: 'X', value: '$nowhere:key' }] })],
      'Secret nowhere is not in deploy/',
    ],
    [
      'a reference to a Secret without the part-of=argocd label',
      [withService({ url: 'http://a', headers: [{ name: 'X', value: '$cdevents-backend:ingest-tokens' }] })],
      'lacks the label app.kubernetes.io/part-of=argocd',
    ],
    [
      'a reference to a missing key',
      [withService({ url: 'http://a', headers: [{ name: 'X', value: '$cdevents-proxy:nope' }] })],
      'has no key nope',
    ],
  ])('rejects %s', (_case, entries, reason) => {
    expect(findExtensionConfigProblems(entries, secrets).join('\n')).toContain(reason);
  });
});

describe('the installer values', () => {
  const patch = findOne(all, 'Deployment', 'argocd-server', 'argocd/argocd-server-extension-patch.yaml');
  const podSpec = (patch.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
    initContainers: Array<{ image: string; env: EnvVar[]; volumeMounts: Array<{ name: string; mountPath: string }> }>;
    containers: Array<{ name: string; volumeMounts: Array<{ name: string; mountPath: string }> }>;
    volumes: Array<{ name: string; emptyDir?: object }>;
  };
  const installerEnvs: Array<[string, EnvVar[]]> = [
    ['argocd/argocd-server-extension-patch.yaml', podSpec.initContainers[0].env],
    ['helm/argo-cd-values.yaml', helmValues.server.extensions.extensionList[0].env],
  ];
  const valueOf = (env: EnvVar[], name: string): string => env.find((e) => e.name === name)?.value ?? '';

  it.each(installerEnvs)(
    '%s downloads the files our build produces, for this version, from one release folder',
    (_where, env) => {
      const url = valueOf(env, 'EXTENSION_URL');
      const checksumUrl = valueOf(env, 'EXTENSION_CHECKSUM_URL');
      expect(basename(new URL(url).pathname)).toBe(basename(tarPath));
      expect(basename(new URL(checksumUrl).pathname)).toBe(basename(checksumPath));
      expect(dirname(url)).toBe(dirname(checksumUrl));
      expect(url).toContain(`/v${version}/`);
      expect(url.startsWith('https://')).toBe(true);
      expect(valueOf(env, 'EXTENSION_NAME')).toBe('cdevents');
    },
  );

  it.each(installerEnvs)('%s leaves IGNORE_FAILURE unset, so a bad checksum stops the rollout', (_where, env) => {
    expect(env.some((e) => e.name === 'IGNORE_FAILURE')).toBe(false);
  });

  it('both use installer v1.0.1', () => {
    expect(podSpec.initContainers[0].image).toBe('quay.io/argoprojlabs/argocd-extension-installer:v1.0.1');
    expect(helmValues.server.extensions.enabled).toBe(true);
    expect(helmValues.server.extensions.image.tag).toBe('v1.0.1');
  });

  it('the patch shares an emptyDir at /tmp/extensions/ between the installer and argocd-server', () => {
    const installerMount = podSpec.initContainers[0].volumeMounts.find((m) => m.mountPath === '/tmp/extensions/');
    const serverMount = podSpec.containers
      .find((c) => c.name === 'argocd-server')
      ?.volumeMounts.find((m) => m.mountPath === '/tmp/extensions/');
    expect(installerMount?.name).toBe(serverMount?.name);
    expect(podSpec.volumes.find((v) => v.name === installerMount?.name)?.emptyDir).toEqual({});
  });
});

describe('RBAC and the proxy switch', () => {
  const rbacLine = 'p, role:readonly, extensions, invoke, cdevents, allow';
  const policies: Array<[string, string]> = [
    ['argocd/argocd-rbac-cm.yaml', readConfigMapValue(findOne(all, 'ConfigMap', 'argocd-rbac-cm'), 'policy.csv')],
    ['helm/argo-cd-values.yaml', helmValues.configs.rbac['policy.csv']],
  ];
  const params: Array<[string, unknown]> = [
    [
      'argocd/argocd-cmd-params-cm.yaml',
      (findOne(all, 'ConfigMap', 'argocd-cmd-params-cm').data as Record<string, unknown>)[
        'server.enable.proxy.extension'
      ],
    ],
    ['helm/argo-cd-values.yaml', helmValues.configs.params['server.enable.proxy.extension']],
  ];

  it.each(policies)('%s grants role:readonly the invoke of extension cdevents, exactly', (_where, csv) => {
    expect(csv.split('\n').map((l) => l.trim())).toContain(rbacLine);
  });

  it.each(params)('%s sets server.enable.proxy.extension to the string "true"', (_where, value) => {
    expect(value).toBe('true');
  });
});

describe('the notifications entries', () => {
  const expected = buildNotificationsData({
    backendUrl: 'http://cdevents-backend.argocd.svc.cluster.local:8080',
    instance: 'default',
    namespace: 'argocd',
  });
  const parseEach = (data: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(data).map(([key, value]) => [key, parse(String(value))]));
  const data = notificationsCm.data as Record<string, string>;
  const webhook = parse(data['service.webhook.cdevents']) as {
    url: string;
    headers: Array<{ name: string; value: string }>;
  };
  const notificationsSecret = secrets.find((s) => s.name === 'argocd-notifications-secret');

  it('argocd/argocd-notifications-cm.yaml holds exactly what `npm run argocd-config` prints', () => {
    expect(parseEach(data)).toEqual(parseEach(expected));
  });

  it('the argo-cd chart values hold the same notifiers, templates, triggers and subscriptions', () => {
    const values = (helmValues as unknown as { notifications: Record<string, Record<string, string> | unknown[]> })
      .notifications;
    const { subscriptions, ...entries } = expected;
    expect(
      parseEach({
        ...(values.notifiers as object),
        ...(values.templates as object),
        ...(values.triggers as object),
      }),
    ).toEqual(parseEach(entries));
    expect(values.subscriptions).toEqual(parse(subscriptions));
  });

  it('the webhook posts to the backend Service route with JSON and the instance argocd-cm names', () => {
    const url = new URL(webhook.url);
    expect(url.hostname).toMatch(/^cdevents-backend\.argocd\.svc(\.cluster\.local)?$/);
    expect(Number(url.port)).toBe(servicePort);
    expect(url.pathname).toBe('/api/v1/argocd/notifications');
    // Argo CD notifications set no Content-Type of their own.
    expect(webhook.headers.find((h) => h.name === 'Content-Type')?.value).toBe('application/json');
    const argocdCmInstance = parseNamedExtensionConfig(
      'extension.config.cdevents',
      readConfigMapValue(argocdCm, 'extension.config.cdevents'),
    ).backend.services![0].headers!.find((h) => h.name === 'X-Cdevents-Instance')?.value;
    expect(url.searchParams.get('instance')).toBe(argocdCmInstance);
  });

  it('the webhook authenticates with a bearer token whose $key is in the argocd-notifications-secret template', () => {
    const authorization = webhook.headers.find((h) => h.name === 'Authorization')?.value ?? '';
    expect(authorization).toMatch(/^Bearer \$[\w-]+$/);
    // notifications-engine replaces every [$][\w-_]+ in a header value with that secret key.
    expect(notificationsSecret?.labels['app.kubernetes.io/part-of']).toBe('argocd');
    expect(notificationsSecret?.keys).toContain(authorization.slice('Bearer $'.length));
  });

  it('the template sends the whole Application through toJson, never hand-built JSON', () => {
    const template = parse(data['template.cdevents-app']) as {
      webhook: { cdevents: { method: string; body: string } };
    };
    expect(template.webhook.cdevents.method).toBe('POST');
    expect(template.webhook.cdevents.body).toContain('{{toJson .app}}');
    expect(template.webhook.cdevents.body).not.toMatch(/"\{\{[^}]*\}\}"/);
  });
});
