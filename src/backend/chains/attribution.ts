/**
 * Why an event is shown in an app's tab: a list of pure, data-driven rules.
 * Each rule looks at one event and names the apps it concerns with a sentence
 * saying why. Adding a rule is adding an object to `attributionRules`; nothing
 * here touches a database.
 *
 * Instances: an Argo CD `context.source` of the form `/argocd/<instance>/<namespace>`
 * names the instance, and the event is attributed to that instance's app only.
 * Any other source cannot know which Argo CD instance the app lives in, so the
 * app is given with instance `*` (every instance's app of that namespace/name).
 * Likewise a rule that finds only an app name gives namespace `*`.
 */
import type { Attribution, AttributionRule, Direction } from '../api/contract';
import type { EventSummary } from '../../cdevents/types';
import type { AppRef } from '../store/types';
import type { AppProfile } from './buildAppProfile';
import { type EventFacts, extractEventFacts } from './extractEventFacts';
import { definePerAppRule, receivedRules } from './receivedRules';

/** Stands for "any" in AppRef.instance and AppRef.namespace of an attribution. */
export const anyInstance = '*';
export const anyNamespace = '*';

/** What a rule sees of an event. */
export interface AttributionInput {
  /** The event as received (parsed JSON, possibly invalid). */
  event: unknown;
  summary: EventSummary;
  direction: Direction;
  /** The apps the backend knows (from the applications table), for the rules that compare the event with an app. */
  apps?: readonly AppProfile[];
  /** The event's domain ids (extractEventFacts), when the caller read them; attributeEvent reads them once otherwise. */
  facts?: EventFacts;
}

export interface AttributionRuleDefinition {
  rule: AttributionRule;
  /** The apps the event concerns under this rule, each with the sentence the UI shows. */
  match(input: AttributionInput): Array<{ app: AppRef; detail: string }>;
}

export interface AppAttribution {
  app: AppRef;
  attribution: Attribution;
}

const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const appNamePattern = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const argoCdSourcePattern = /^\/argocd\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/?$/;

/**
 * Emitted: the events this backend produced for Argo CD, whose source is `/argocd/<instance>/<namespace>`
 * (this replica's or another's, through NATS). Everything else is received, including what Argo CD's own
 * notification templates post in the format of the Argo CD proposal (argo-cd PR #24106) and of the
 * argo-cdviz demo, `/argocd/<namespace>`: those are another tool's view of the app, and are neither
 * forwarded to sinks as ours nor linked into our PATH (ADR 0010).
 */
export function decideDirection(source: string | undefined): Direction {
  return parseArgoCdSource(source) ? 'emitted' : 'received';
}

/** The instance and namespace an Argo CD source `/argocd/<instance>/<namespace>` names, if it has that form. */
export function parseArgoCdSource(source: string | undefined): { instance: string; namespace: string } | undefined {
  const match = source === undefined ? null : argoCdSourcePattern.exec(source);
  return match ? { instance: match[1]!, namespace: match[3]! } : undefined;
}

/** `<namespace>/<name>` as an app, when both parts are valid Kubernetes names. */
export function parseAppPath(text: unknown): { namespace: string; name: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('/');
  if (parts.length !== 2 || !namespacePattern.test(parts[0]!) || !appNamePattern.test(parts[1]!)) return undefined;
  return { namespace: parts[0]!, name: parts[1]! };
}

function instanceOf(summary: EventSummary): string {
  return parseArgoCdSource(summary.source)?.instance ?? anyInstance;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An app named by a customData value: "name", "namespace/name", {name, namespace} or an Application's metadata. */
function readAppReference(value: unknown): { namespace: string; name: string } | undefined {
  if (typeof value === 'string') {
    if (appNamePattern.test(value)) return { namespace: anyNamespace, name: value };
    return parseAppPath(value);
  }
  if (!isRecord(value)) return undefined;
  const holder = isRecord(value.metadata) ? value.metadata : value;
  if (typeof holder.name !== 'string' || !appNamePattern.test(holder.name)) return undefined;
  const namespace =
    typeof holder.namespace === 'string' && namespacePattern.test(holder.namespace) ? holder.namespace : anyNamespace;
  return { namespace, name: holder.name };
}

/**
 * Where tools put the app in customData: the ArgoCon proposal's `argocd.application`,
 * cdviz's Argo CD transformer `argocd.application{name,namespace}`, the demo
 * templates' `argocdApp`, and the plain `application` / `app`.
 */
const customDataPaths: ReadonlyArray<readonly string[]> = [
  ['argocd', 'application'],
  ['application'],
  ['app'],
  ['argocdApp'],
];

function formatApp(app: { namespace: string; name: string }): string {
  return app.namespace === anyNamespace ? `${app.name} (any namespace)` : `${app.namespace}/${app.name}`;
}

const emittedRule: AttributionRuleDefinition = {
  rule: 'emitted',
  match({ summary, direction }) {
    const app = direction === 'emitted' ? parseAppPath(summary.subjectId) : undefined;
    if (!app) return [];
    return [{ app: { instance: instanceOf(summary), ...app }, detail: `emitted by Argo CD for ${formatApp(app)}` }];
  },
};

const subjectRule: AttributionRuleDefinition = {
  rule: 'subject',
  match({ summary, direction }) {
    const app = direction === 'received' ? parseAppPath(summary.subjectId) : undefined;
    if (!app) return [];
    return [{ app: { instance: instanceOf(summary), ...app }, detail: `subject id is ${formatApp(app)}` }];
  },
};

const customDataRule: AttributionRuleDefinition = {
  rule: 'custom-data',
  match({ event, summary }) {
    const customData = isRecord(event) ? event.customData : undefined;
    if (!isRecord(customData)) return [];
    const matches: Array<{ app: AppRef; detail: string }> = [];
    for (const path of customDataPaths) {
      let value: unknown = customData;
      for (const step of path) value = isRecord(value) ? value[step] : undefined;
      const app = readAppReference(value);
      if (app) {
        matches.push({
          app: { instance: instanceOf(summary), ...app },
          detail: `customData.${path.join('.')} names ${formatApp(app)}`,
        });
      }
    }
    return matches;
  },
};

/** The rules of this release, in the order their reasons are listed. */
export const attributionRules: readonly AttributionRuleDefinition[] = [
  emittedRule,
  subjectRule,
  customDataRule,
  ...receivedRules.map(definePerAppRule),
];

/** Every app the event concerns, with why; one entry per (app, rule). */
export function attributeEvent(
  input: AttributionInput,
  rules: readonly AttributionRuleDefinition[] = attributionRules,
): AppAttribution[] {
  const seen = new Set<string>();
  const result: AppAttribution[] = [];
  // The rules comparing the event with each app read its facts: once for all of them.
  const withFacts = input.facts || !input.apps?.length ? input : { ...input, facts: extractEventFacts(input.event) };
  for (const rule of rules) {
    for (const { app, detail } of rule.match(withFacts)) {
      const key = JSON.stringify([app.instance, app.namespace, app.name, rule.rule]);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ app, attribution: { rule: rule.rule, detail } });
    }
  }
  return result;
}
