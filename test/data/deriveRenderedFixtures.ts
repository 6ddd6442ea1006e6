/**
 * argo-cdviz/rendered has no public home: it was made for this project from
 * the captured notifications and the demo's templates. Where a data root lacks
 * it (a cache filled by the fetch), it is made again here from files the fetch
 * brought: the seven Application objects byte for byte (test-data.sha256 lists
 * them), and the demo's templates rendered against them (renderDemoTemplates.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderNotificationTemplate, readDemoTemplates } from './renderDemoTemplates';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const CAPTURED = 'cdevents-corpus/cdviz-transformers-community/argocd_notifications/inputs/captured';

/**
 * JSON as Python's json.dumps writes it by default (", " and ": " separators,
 * everything outside printable ASCII escaped), which is how the apps were saved.
 */
export function toPythonJson(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pythonString(key)}: ${toPythonJson(item)}`)
    .join(', ')}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES[char]) out += SHORT_ESCAPES[char];
    // UTF-16 units, as Python writes astral characters: a surrogate pair of escapes.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function capturedApp(root: string, file: string): JsonObject {
  const body = JSON.parse(readFileSync(join(root, CAPTURED, file), 'utf8')) as { app: JsonObject };
  return body.app;
}

function statusOf(app: JsonObject): JsonObject {
  return app.status as JsonObject;
}

/** The seven apps: a–d as captured, e–g edited copies of a for states the capture lacks. */
export function deriveRenderedApps(root: string): Array<{ file: string; app: JsonObject }> {
  const base = (): JsonObject => capturedApp(root, '008_sync_podinfo_1_2.json');

  const failed = base();
  const failedOperation = statusOf(failed).operationState as JsonObject;
  failedOperation.message =
    'one or more objects failed to apply, reason: Deployment.apps "podinfo" is invalid: ' +
    'spec.template.spec.containers[0].image: Required value\nretried 5 times.';
  failedOperation.phase = 'Failed';

  const degraded = base();
  const health = statusOf(degraded).health as JsonObject;
  delete health.lastTransitionTime;
  health.status = 'Degraded';
  health.message = 'Deployment "podinfo" exceeded its progress deadline';

  const neverSynced = base();
  delete statusOf(neverSynced).operationState;
  const sync = statusOf(neverSynced).sync as JsonObject;
  delete sync.comparedTo;
  delete sync.revision;
  sync.status = 'Unknown';

  return [
    { file: 'a_single_source_succeeded_healthy.json', app: base() },
    { file: 'b_multi_source_degraded.json', app: capturedApp(root, '010_sync_podinfo_1_4.json') },
    { file: 'c_multi_source_deleting.json', app: capturedApp(root, '022_remove_podinfo_2_1.json') },
    { file: 'd_single_source_running.json', app: capturedApp(root, '007_sync_podinfo_1_1.json') },
    { file: 'e_single_source_failed_quoted_message.json', app: failed },
    { file: 'f_single_source_degraded_quoted_health_message.json', app: degraded },
    { file: 'g_single_source_never_synced.json', app: neverSynced },
  ];
}

/**
 * Writes argo-cdviz/rendered/apps and bodies under `root`. `now` stands in for
 * the render's clock, which the templates read for ids and incident times.
 */
export function writeRenderedFixtures(root: string, now = new Date('2026-11-24T03:01:46.081402Z')): void {
  const apps = deriveRenderedApps(root);
  const appsDir = join(root, 'argo-cdviz/rendered/apps');
  const bodiesDir = join(root, 'argo-cdviz/rendered/bodies');
  mkdirSync(appsDir, { recursive: true });
  mkdirSync(bodiesDir, { recursive: true });
  const templates = readDemoTemplates(readFileSync(join(root, 'argo-cdviz/main/notifications-cdevents.yaml'), 'utf8'));
  for (const { file, app } of apps) {
    writeFileSync(join(appsDir, file), toPythonJson(app));
    for (const template of templates) {
      const rendered = renderNotificationTemplate(template, { app, context: {} }, now);
      const body = rendered.ok ? rendered.text : `RENDER_ERROR: ${rendered.error}`;
      writeFileSync(join(bodiesDir, `${file}__${template.name}.txt`), body);
    }
  }
}
