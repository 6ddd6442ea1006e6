/**
 * The Go-template renderer that rebuilds argo-cdviz/rendered where a data root
 * lacks it, checked against the bodies Go's text/template with sprig rendered
 * (in ../shared or CDEVENTS_TEST_DATA; in a fetched cache they are this
 * renderer's own, so there the check only proves it is deterministic).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { deriveRenderedApps, toPythonJson } from './deriveRenderedFixtures';
import { readDemoTemplates, renderNotificationTemplate } from './renderDemoTemplates';
import { testDataPath, testDataRoot } from './resolveTestData';

/** The parts of a body that come from the render's clock: ids and times made from `now`. */
function maskClock(body: string): string {
  return body
    .replace(/\b\d{10}\b/g, '<epoch>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/g, '<now>')
    .replace(/-\d{14}"/g, '-<stamp>"');
}

const templates = readDemoTemplates(readFileSync(testDataPath('argo-cdviz/main/notifications-cdevents.yaml'), 'utf8'));
const apps = deriveRenderedApps(testDataRoot());
const bodiesDir = testDataPath('argo-cdviz/rendered/bodies');

describe("the demo's notification templates, rendered as Argo CD's notifications-engine renders them", () => {
  it('reads the seven webhook templates of the demo', () => {
    expect(templates.map((template) => template.name).sort()).toEqual([
      'cdevents-incident-detected',
      'cdevents-incident-resolved',
      'cdevents-service-deployed',
      'cdevents-service-published',
      'cdevents-service-removed',
      'cdevents-service-rolledback',
      'cdevents-sync-failed',
    ]);
    expect(readdirSync(bodiesDir)).toHaveLength(apps.length * templates.length);
  });

  it.each(
    apps.flatMap(({ file, app }) =>
      templates.map((template) => [`${file}__${template.name}.txt`, app, template] as const),
    ),
  )('%s: the same body (or the same render error) as in the test data', (bodyFile, app, template) => {
    const rendered = renderNotificationTemplate(template, { app, context: {} }, '2026-01-02T03:04:05.123456Z');
    const actual = rendered.ok ? rendered.text : `RENDER_ERROR: ${rendered.error}`;
    expect(maskClock(actual)).toBe(maskClock(readFileSync(join(bodiesDir, bodyFile), 'utf8')));
  });

  it('writes the derived apps byte for byte as the test data holds them', () => {
    for (const { file, app } of apps) {
      expect(toPythonJson(app)).toBe(readFileSync(testDataPath('argo-cdviz/rendered/apps', file), 'utf8'));
    }
  });

  it("gives Go's missing-key text, JSON encoding and nil-argument error", () => {
    const template = {
      name: 't',
      body: '{{ .a.missing }} {{ .a.map | toJson }} {{ .a.none | default "d" }}\n {{ .a.none | replace "x" "" }}',
    };
    expect(
      renderNotificationTemplate(template, { a: { map: { b: '<&>', a: [1, null] } } }, '2026-01-02T03:04:05Z'),
    ).toEqual({
      ok: false,
      error: 'template: t:2:26: executing "t" at <"">: invalid value; expected string',
    });
    const ok = renderNotificationTemplate(
      { ...template, body: template.body.split('\n')[0]! },
      { a: { map: { b: '<&>', a: [1, null] } } },
      '2026-01-02T03:04:05Z',
    );
    expect(ok).toEqual({ ok: true, text: '<no value> {"a":[1,null],"b":"\\u003c\\u0026\\u003e"} d' });
  });
});
