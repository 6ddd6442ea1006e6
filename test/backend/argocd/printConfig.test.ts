import { execFileSync } from 'child_process';
import { resolve } from 'path';
import { parse } from 'yaml';
import { buildNotificationsConfig, runPrintConfig, triggers } from '../../../src/backend/argocd';
import { readCapturedNotifications } from './fixtures';

const repoRoot = resolve(__dirname, '../../..');
const options = { backendUrl: 'http://cdevents-backend.argocd.svc:8080/', instance: 'east', namespace: 'argocd' };

interface ConfigMap {
  kind: string;
  metadata: { name: string; namespace: string };
  data: Record<string, string>;
}

const configMap = parse(buildNotificationsConfig(options)) as ConfigMap;
const entry = <T>(key: string): T => parse(configMap.data[key]!) as T;

describe('npm run argocd-config', () => {
  it('prints a patch for argocd-notifications-cm', () => {
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata).toEqual({ name: 'argocd-notifications-cm', namespace: 'argocd' });
    expect(Object.keys(configMap.data).sort()).toEqual(
      [
        'service.webhook.cdevents',
        'template.cdevents-app',
        'subscriptions',
        ...triggers.map((trigger) => `trigger.${trigger.name}`),
      ].sort(),
    );
  });

  it('points the webhook at the notifications route with the instance, JSON and the ingest token from the secret', () => {
    expect(entry('service.webhook.cdevents')).toEqual({
      url: 'http://cdevents-backend.argocd.svc:8080/api/v1/argocd/notifications?instance=east',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Authorization', value: 'Bearer $cdevents-ingest-token' },
      ],
    });
  });

  it('has a template whose body is valid JSON once Argo CD fills in a real app and context', () => {
    const template = entry<{ webhook: { cdevents: { method: string; body: string } } }>('template.cdevents-app');
    expect(template.webhook.cdevents.method).toBe('POST');
    const sample = readCapturedNotifications().find((item) => item.file === '017_sync_podinfo_3_4.json')!.body;
    const rendered = template.webhook.cdevents.body
      .replace('{{toJson .app}}', JSON.stringify(sample.app))
      .replace('{{toJson .context}}', JSON.stringify(sample.context));
    expect(JSON.parse(rendered)).toEqual({ app: sample.app, context: sample.context });
  });

  it.each(triggers.map((trigger) => [trigger.name]))('trigger %s sends the template', (name) => {
    const [condition] = entry<Array<{ when: string; send: string[]; oncePer?: string }>>(`trigger.${name}`);
    expect(condition.send).toEqual(['cdevents-app']);
    expect(condition.when.length).toBeGreaterThan(0);
  });

  it('keys operation triggers once per sync start, never per revision, so re-syncs and multi-source apps are not collapsed', () => {
    for (const name of ['cdevents-on-deployed', 'cdevents-on-sync-failed', 'cdevents-on-sync-running']) {
      const [condition] = entry<Array<{ oncePer?: string }>>(`trigger.${name}`);
      expect(condition.oncePer).toBe('app.status?.operationState?.startedAt');
    }
    for (const trigger of triggers) expect(trigger.oncePer ?? '').not.toMatch(/revision/);
  });

  it('leaves state triggers without oncePer, so a failed send is retried while the state lasts', () => {
    for (const name of [
      'cdevents-on-health-degraded',
      'cdevents-on-sync-status-unknown',
      'cdevents-on-health-recovered',
      'cdevents-on-deleted',
    ]) {
      const [condition] = entry<Array<{ oncePer?: string }>>(`trigger.${name}`);
      expect(condition.oncePer).toBeUndefined();
    }
  });

  it('reads status fields with optional chaining, since a new app has no status yet', () => {
    for (const trigger of triggers) expect(trigger.when).not.toMatch(/app\.status\.(?!\?)/);
  });

  it('subscribes every trigger to the webhook', () => {
    expect(entry('subscriptions')).toEqual([
      { recipients: ['cdevents'], triggers: triggers.map((trigger) => trigger.name) },
    ]);
  });

  it('shows the per-app subscription annotations', () => {
    expect(buildNotificationsConfig(options)).toContain(
      'notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents: ""',
    );
  });

  it.each([
    [['--instance', 'Bad Name'], /--instance must be lower-case/],
    [['--url', 'cdevents:8080'], /--url must be an http\(s\) URL/],
    [['--url'], /--url needs a value/],
    [['--colour'], /unknown argument "--colour"/],
  ])('refuses %j with exit code 2 and says why', (args, message) => {
    const errors: string[] = [];
    expect(
      runPrintConfig(
        args,
        () => undefined,
        (text) => errors.push(text),
      ),
    ).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });

  it('runs as the npm script with flags', () => {
    const output = execFileSync(
      'npx',
      ['tsx', 'src/backend/argocd/printConfig.ts', '--instance=west', '--url', 'https://cdevents.example'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    const printed = parse(output) as ConfigMap;
    expect(parse(printed.data['service.webhook.cdevents']!).url).toBe(
      'https://cdevents.example/api/v1/argocd/notifications?instance=west',
    );
  });
});
