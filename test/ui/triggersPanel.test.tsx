import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { TriggerInput, TriggerListResponse, TriggerRecord } from '../../src/backend/api/triggerContract';
import { ApiContext, type ApiResult } from '../../src/ui/api';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { TriggersApiContext, TriggersPanel, type TriggersApi } from '../../src/ui/components/triggers';
import { buildRecord, createFakeApi, guestbookApplication } from './fakeApi';
import { stubLayout } from './stubLayout';

const app = { namespace: 'argocd', name: 'auth', project: 'default' };

const inbound: TriggerRecord = {
  id: 't1',
  kind: 'inbound',
  name: 'deploy new images',
  enabled: true,
  moments: [],
  sinks: [],
  match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@*' },
  action: 'sync-revision',
  cooldownSeconds: 60,
  revisionField: null,
  annotationKey: null,
  version: 1,
  createdAt: '2025-10-01T10:00:00.000Z',
  createdBy: 'alice',
  updatedAt: '2025-10-01T10:00:00.000Z',
  updatedBy: 'alice',
  effect: {
    annotations: [],
    configMapKeys: [],
    apiCalls: ['POST /api/v1/applications/auth/sync (appNamespace=argocd)'],
  },
  applied: null,
  lastFiring: null,
};

const outbound: TriggerRecord = {
  ...inbound,
  id: 't2',
  kind: 'outbound',
  name: 'emit incidents',
  moments: ['degraded'],
  match: null,
  action: null,
  cooldownSeconds: null,
  revisionField: null,
  effect: { annotations: [], configMapKeys: [], apiCalls: [] },
};

/** The keys the backend owns in argocd-notifications-cm, in the generator's order (as GET …/triggers sends them). */
const ownedKeys = [
  'service.webhook.cdevents',
  'template.cdevents-app',
  'trigger.cdevents-on-deployed',
  'trigger.cdevents-on-sync-failed',
  'trigger.cdevents-on-health-degraded',
  'trigger.cdevents-on-deleted',
];

function buildList(canWrite: boolean, items: TriggerRecord[] = [inbound]): TriggerListResponse {
  return {
    items,
    access: {
      canWrite,
      reason: canWrite ? 'user alice is listed in CDEVENTS_TRIGGER_EDITORS' : 'user bob may not change triggers',
    },
    moments: [
      { id: 'deployed', label: 'Deployed or upgraded', argocdTriggers: ['cdevents-on-deployed'] },
      { id: 'rolled-back', label: 'Rolled back', argocdTriggers: ['cdevents-on-deployed'] },
      { id: 'degraded', label: 'Degraded', argocdTriggers: ['cdevents-on-health-degraded'] },
    ],
    actions: [
      { id: 'sync', label: 'Sync' },
      { id: 'refresh', label: 'Refresh' },
      { id: 'preview', label: 'Create or refresh a preview Application per change' },
    ],
    sinks: ['nats'],
    configMap: {
      namespace: 'argocd',
      name: 'argocd-notifications-cm',
      ownedKeys,
    },
  };
}

function ok<T>(value: T): Promise<ApiResult<T>> {
  return Promise.resolve({ ok: true, value });
}

function buildApi(
  canWrite: boolean,
  overrides: Partial<TriggersApi> = {},
  items: TriggerRecord[] = [inbound],
): TriggersApi & { created: TriggerInput[] } {
  const created: TriggerInput[] = [];
  return {
    created,
    list: () => ok(buildList(canWrite, items)),
    create: (_app, input) => {
      created.push(input);
      return ok({ trigger: inbound, applied: null });
    },
    update: () => ok({ trigger: inbound, applied: null }),
    remove: () => ok({ trigger: null, applied: null }),
    dryRun: () =>
      ok({
        evaluated: 12,
        matched: 1,
        items: [
          {
            event: {
              key: 'e1',
              type: 'dev.cdevents.artifact.published.0.3.0',
              source: '/ci',
              id: 'auth-1.1.0',
              at: '2025-10-01T11:00:00.000Z',
            },
            outcome: 'fire',
            reasons: ['type is dev.cdevents.artifact.published.0.3.0'],
            action: 'sync argocd/auth to v1.1.0',
          },
        ],
      }),
    firings: () => ok({ items: [] }),
    audit: () => ok({ items: [] }),
    ...overrides,
  };
}

/** What the backend answers when a trigger does not validate: 400 with one sentence per field. */
function rejectWithFieldErrors(message: string, fields: Record<string, string>): TriggersApi['create'] {
  return () =>
    Promise.resolve({
      ok: false,
      error: {
        kind: 'backend',
        status: 400,
        body: {
          statusCode: 400,
          error: { name: 'ValidationError', message, fields } as { name: string; message: string },
        },
      },
    });
}

function renderPanel(api: TriggersApi) {
  return render(
    <TriggersApiContext.Provider value={api}>
      <TriggersPanel app={app} pollMs={0} />
    </TriggersApiContext.Provider>,
  );
}

describe('the Triggers panel', () => {
  it('lists triggers with what they call in Argo CD terms', async () => {
    renderPanel(buildApi(true));
    const item = await screen.findByRole('row', { name: 'Trigger deploy new images' });
    expect(within(item).getByText(/POST \/api\/v1\/applications\/auth\/sync/)).toBeInTheDocument();
    expect(within(item).getByText(/artifact pkg:oci\/auth@\*/)).toBeInTheDocument();
  });

  it('offers no writes to a user outside the policy and says why', async () => {
    renderPanel(buildApi(false));
    await screen.findByText(/Read only: user bob may not change triggers/);
    expect(screen.queryByRole('button', { name: 'New trigger' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Dry run' })).toBeInTheDocument();
  });

  it('shows the annotations and ConfigMap keys an outbound rule will write before saving', async () => {
    renderPanel(buildApi(true));
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.click(screen.getByLabelText(/Outbound/));
    fireEvent.click(screen.getByLabelText('Degraded'));
    const effect = screen.getByLabelText('Effect in Argo CD');
    expect(effect).toHaveTextContent('notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents');
    expect(effect).toHaveTextContent('notifications.argoproj.io/subscribe.cdevents-on-health-degraded.cdevents');
    expect(effect).toHaveTextContent('trigger.cdevents-on-health-degraded');
  });

  it('says there are no changes yet rather than leaving the "Changes" heading empty', async () => {
    renderPanel(buildApi(true));
    const heading = await screen.findByRole('heading', { name: 'Changes' });
    expect(heading.nextElementSibling).toHaveTextContent("No changes to this app's triggers yet.");
  });

  it('previews every ConfigMap key saving writes, not only those of the ticked moments', async () => {
    // Saving brings every owned key to the generator's values (test/backend/triggers.test.ts holds that).
    renderPanel(buildApi(true));
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.click(screen.getByLabelText(/Outbound/));
    const keys = within(screen.getByLabelText('Effect in Argo CD')).getByRole('list', {
      name: 'argocd-notifications-cm keys written',
    });
    expect(
      within(keys)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(ownedKeys);
  });

  it("previews the annotations the app's other enabled outbound rules keep, and none of a disabled draft", async () => {
    renderPanel(buildApi(true, {}, [inbound, outbound]));
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.click(screen.getByLabelText(/Outbound/));
    fireEvent.click(screen.getByLabelText('Enabled'));
    const effect = screen.getByLabelText('Effect in Argo CD');
    expect(effect).toHaveTextContent('notifications.argoproj.io/subscribe.cdevents-on-health-degraded.cdevents');
    expect(effect).not.toHaveTextContent('notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents');
  });

  it('lists what saving applied to Argo CD one change per line', async () => {
    const applied = {
      status: 'applied' as const,
      at: '2025-10-01T10:00:00.000Z',
      message: 'applied: set a; wrote b; wrote c',
      annotationsSet: ['notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents'],
      annotationsRemoved: [],
      configMapKeysWritten: ['service.webhook.cdevents', 'template.cdevents-app'],
      attempts: 1,
    };
    renderPanel(buildApi(true, { create: () => ok({ trigger: outbound, applied }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.click(screen.getByLabelText(/Outbound/));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'emit deploys' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent('Saved "emit deploys".');
    expect(notice).not.toHaveTextContent(';');
    expect(
      within(within(notice).getByRole('list', { name: 'Applied to Argo CD' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'set annotation notifications.argoproj.io/subscribe.cdevents-on-deployed.cdevents',
      'wrote argocd-notifications-cm service.webhook.cdevents',
      'wrote argocd-notifications-cm template.cdevents-app',
    ]);
  });

  it('says at the name field that the app already has a trigger of that name (409)', async () => {
    const sentence = 'argocd/auth already has an inbound trigger named "deploy new images": choose another name';
    const api = buildApi(true, {
      create: () =>
        Promise.resolve({
          ok: false,
          error: {
            kind: 'backend',
            status: 409,
            body: {
              statusCode: 409,
              error: { name: 'ConflictError', message: sentence, fields: { name: sentence } } as {
                name: string;
                message: string;
              },
            },
          },
        }),
    });
    renderPanel(api);
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'deploy new images' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(sentence);
  });

  it('shows each problem the backend found at its field', async () => {
    const api = buildApi(true, {
      create: rejectWithFieldErrors('the trigger is not valid: match.artifactPurl: must start with pkg:', {
        'match.artifactPurl': 'the artifact purl pattern must start with "pkg:"',
        name: 'give the trigger a name',
      }),
    });
    renderPanel(api);
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const purl = await screen.findByLabelText('Artifact purl pattern');
    expect(purl).toHaveAttribute('aria-invalid', 'true');
    expect(purl).toHaveAccessibleDescription('the artifact purl pattern must start with "pkg:"');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('give the trigger a name');
  });

  it('sends what was typed and shows what a dry run would have fired, when and why', async () => {
    const api = buildApi(true);
    renderPanel(api);
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'new images' } });
    fireEvent.change(screen.getByLabelText('Artifact purl pattern'), { target: { value: 'pkg:oci/auth@*' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(api.created).toHaveLength(1));
    expect(api.created[0]).toMatchObject({
      kind: 'inbound',
      name: 'new images',
      match: { types: ['dev.cdevents.artifact.published'], artifactPurl: 'pkg:oci/auth@*' },
      action: 'sync',
      cooldownSeconds: 60,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const result = await screen.findByRole('region', { name: 'Dry run result' });
    expect(result).toHaveTextContent('1 of 12 stored events matched');
    expect(result).toHaveTextContent('Would sync argocd/auth to v1.1.0 at 2025-10-01T11:00:00.000Z for auth-1.1.0');
  });
  describe('a preview rule', () => {
    const template = {
      metadata: { name: 'auth-{{change}}' },
      spec: {
        project: 'previews',
        source: { repoURL: 'https://github.com/acme/auth.git', path: 'deploy', targetRevision: '{{revision}}' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'auth-{{change}}' },
      },
    };

    async function openPreviewForm(api: TriggersApi) {
      renderPanel(api);
      fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
      fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'a preview per pull request' } });
      fireEvent.change(screen.getByLabelText(/Event types/), { target: { value: 'dev.cdevents.change' } });
      fireEvent.change(screen.getByLabelText('Then'), { target: { value: 'preview' } });
    }

    const yamlTemplate = [
      'metadata:',
      '  name: auth-pr-{{change}}',
      '  namespace: previews',
      'spec:',
      '  project: previews',
      '  source: { repoURL: https://github.com/acme/auth.git, path: deploy }',
      '',
    ].join('\n');

    it('sends the template as typed (YAML) and says which Application it creates, syncs and deletes', async () => {
      const api = buildApi(true);
      await openPreviewForm(api);
      const field = screen.getByLabelText('Preview Application template (YAML or JSON)');
      expect(field).toHaveAccessibleDescription(/\{\{change\}\}.*\{\{change\.id\}\}.*\{\{revision\}\}.*\{\{app\}\}/);
      fireEvent.change(field, { target: { value: yamlTemplate } });
      const effect = screen.getByLabelText('Effect in Argo CD');
      expect(effect).toHaveTextContent(
        'POST /api/v1/applications?upsert=true creates or updates Application previews/auth-pr-{{change}}',
      );
      expect(effect).toHaveTextContent('DELETE /api/v1/applications/auth-pr-{{change}}?appNamespace=previews');
      expect(effect).toHaveTextContent('cdevents.dev/preview-of=auth');
      fireEvent.click(screen.getByRole('button', { name: 'Create' }));
      await waitFor(() => expect(api.created).toHaveLength(1));
      expect(api.created[0]).toMatchObject({
        kind: 'inbound',
        name: 'a preview per pull request',
        match: { types: ['dev.cdevents.change'] },
        action: 'preview',
        preview: { templateText: yamlTemplate },
      });
    });

    it('reads the preview name from a JSON template too', async () => {
      await openPreviewForm(buildApi(true));
      fireEvent.change(screen.getByLabelText('Preview Application template (YAML or JSON)'), {
        target: { value: JSON.stringify(template, null, 2) },
      });
      expect(screen.getByLabelText('Effect in Argo CD')).toHaveTextContent(
        'creates or updates Application argocd/auth-{{change}}',
      );
    });

    it("shows the backend's problem with the template at the template field", async () => {
      const sentence = 'metadata.name must hold {{change}}, e.g. "portal-{{change}}", so each change gets its own';
      const api = buildApi(true, {
        create: rejectWithFieldErrors(`the trigger is not valid: preview.template: ${sentence}`, {
          'preview.template': sentence,
        }),
      });
      await openPreviewForm(api);
      fireEvent.change(screen.getByLabelText('Preview Application template (YAML or JSON)'), {
        target: { value: JSON.stringify({ ...template, metadata: { name: 'auth-preview' } }) },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Create' }));
      const field = screen.getByLabelText('Preview Application template (YAML or JSON)');
      await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
      expect(field).toHaveAccessibleDescription(expect.stringContaining(sentence));
    });

    it('shows the line the backend found a YAML problem on at the template field', async () => {
      const sentence = 'line 3, column 1: All mapping items must start at the same column';
      const api = buildApi(true, {
        create: rejectWithFieldErrors(`the trigger is not valid: preview.template: ${sentence}`, {
          'preview.template': sentence,
        }),
      });
      await openPreviewForm(api);
      const field = screen.getByLabelText('Preview Application template (YAML or JSON)');
      fireEvent.change(field, { target: { value: 'metadata:\n  name: auth-{{change}}\n spec: {}\n' } });
      fireEvent.click(screen.getByRole('button', { name: 'Create' }));
      await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
      expect(field).toHaveAccessibleDescription(expect.stringContaining(sentence));
    });

    it('shows a saved YAML template as it was typed when the rule is edited', async () => {
      const saved: TriggerRecord = {
        ...inbound,
        id: 't3',
        name: 'previews',
        action: 'preview',
        preview: { template: { metadata: { name: 'auth-pr-{{change}}' } }, templateText: yamlTemplate },
      };
      renderPanel(buildApi(true, {}, [saved]));
      const item = await screen.findByRole('row', { name: 'Trigger previews' });
      fireEvent.click(within(item).getByRole('button', { name: 'Edit' }));
      expect(screen.getByLabelText('Preview Application template (YAML or JSON)')).toHaveValue(yamlTemplate);
    });

    it('starts from an example template naming this app and its project', async () => {
      await openPreviewForm(buildApi(true));
      fireEvent.click(screen.getByRole('button', { name: 'Start from an example' }));
      const value = (screen.getByLabelText('Preview Application template (YAML or JSON)') as HTMLTextAreaElement).value;
      expect(value).toMatch(/^metadata:\n {2}name: auth-\{\{change\}\}\n/);
      expect(value).toContain('  project: default\n');
    });
  });
});

describe("the tab's Triggers view", () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=cdevents&cde_dir=emitted');
  });
  afterEach(() => restoreLayout());

  function renderTab(triggers: TriggersApi = buildApi(true)) {
    const events = createFakeApi();
    render(
      <ApiContext.Provider value={events}>
        <TriggersApiContext.Provider value={triggers}>
          <CDEventsTab application={guestbookApplication} />
        </TriggersApiContext.Provider>
      </ApiContext.Provider>,
    );
    return events;
  }

  it('is a view of its own beside Events: the rules table replaces the timeline, the filters stay in the URL', async () => {
    const events = renderTab();
    await act(() => events.next().respond([buildRecord({ key: 'k1' })]));
    expect(screen.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('search', { name: 'Filter events' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Rules' })).toBeNull();

    fireEvent.click(screen.getByRole('tab', { name: 'Triggers' }));
    expect(screen.getByRole('tab', { name: 'Triggers' })).toHaveAttribute('aria-selected', 'true');
    const rules = await screen.findByRole('table', { name: 'Rules' });
    expect(within(rules).getByRole('row', { name: 'Trigger deploy new images' })).toBeInTheDocument();
    expect(screen.queryByRole('search', { name: 'Filter events' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^emitted / })).toBeNull();
    const params = new URLSearchParams(window.location.search);
    expect(params.get('cde_section')).toBe('triggers');
    expect(params.get('cde_dir')).toBe('emitted');
    expect(params.get('tab')).toBe('cdevents');

    // Back to Events: the timeline asks again with the filter the URL kept.
    fireEvent.click(screen.getByRole('tab', { name: 'Events' }));
    expect(events.next().query.direction).toBe('emitted');
    expect(new URLSearchParams(window.location.search).get('cde_section')).toBeNull();
  });

  it('opens from a link that names it, without asking for events', async () => {
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=cdevents&cde_section=triggers');
    const events = renderTab();
    await screen.findByRole('table', { name: 'Rules' });
    expect(screen.getByRole('tab', { name: 'Triggers' })).toHaveAttribute('aria-selected', 'true');
    expect(events.calls).toHaveLength(0);
    // The editor, the firings and the audit are in the view too.
    expect(screen.getByRole('button', { name: 'New trigger' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Last firings' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Changes' })).toBeInTheDocument();
  });

  it('is named once, by its tab: no "Triggers" heading repeats it', async () => {
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=cdevents&cde_section=triggers');
    renderTab();
    await screen.findByRole('button', { name: 'New trigger' });
    expect(screen.getAllByText(/\bTriggers\b/)).toHaveLength(1);
    expect(screen.queryByRole('heading', { name: 'Triggers' })).toBeNull();
  });

  it("gives every button, field and checkbox of the editor argo-ui's classes", async () => {
    window.history.replaceState(null, '', '/applications/argocd/guestbook?tab=cdevents&cde_section=triggers');
    renderTab();
    fireEvent.click(await screen.findByRole('button', { name: 'New trigger' }));
    const form = screen.getByRole('form', { name: 'New trigger' });
    for (const button of within(form).getAllByRole('button')) expect(button).toHaveClass('argo-button');
    for (const field of within(form).getAllByRole('textbox'))
      expect(field.className).toMatch(/\bargo-(field|textarea)\b/);
    for (const box of [...within(form).getAllByRole('checkbox'), ...within(form).getAllByRole('radio')])
      expect(box.parentElement!.className).toMatch(/^argo-(checkbox|radio)$/);
  });
});
