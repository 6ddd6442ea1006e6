/**
 * The rules that attribute events from other tools to the apps they concern,
 * by comparing the event's domain ids with what each known app deploys
 * (AppProfile, from the app's last seen Application). Each rule is data: the
 * subjects it looks at and one pure comparison of one event with one app,
 * returning the sentence the UI shows, or undefined.
 */
import type { AttributionRule } from '../api/contract';
import type { AttributionInput, AttributionRuleDefinition } from './attribution';
import type { AppProfile } from './buildAppProfile';
import { type EventFacts, extractEventFacts } from './extractEventFacts';
import { listArtifactKeys } from './parseArtifactId';

export interface ReceivedRule {
  rule: AttributionRule;
  /** Subjects (lower case) the rule looks at; undefined for every event. */
  subjects?: readonly string[];
  match(facts: EventFacts, app: AppProfile, input: AttributionInput): string | undefined;
}

const SUBJECT_WORDS: Record<string, string> = {
  change: 'change',
  branch: 'branch',
  repository: 'repository event',
  pipelinerun: 'pipeline run',
  taskrun: 'task run',
  build: 'build',
  testcaserun: 'test case run',
  testsuiterun: 'test suite run',
  incident: 'incident',
  ticket: 'ticket',
  testoutput: 'test output',
  environment: 'environment event',
};

function describeSubject(facts: EventFacts): string {
  return SUBJECT_WORDS[facts.subject ?? ''] ?? `${facts.subject ?? 'event'}`;
}

/** ", as <tool> reported" when only another tool's deploy report taught the profile this purl or id. */
function reportedSuffix(app: AppProfile, key: string): string {
  const source = app.reportedBy[key];
  return source ? `, as ${source} reported` : '';
}

function readContextId(event: unknown): string | undefined {
  const context = (event as { context?: { id?: unknown } } | null)?.context;
  return typeof context?.id === 'string' ? context.id : undefined;
}

export const receivedRules: readonly ReceivedRule[] = [
  {
    // The event's artifact is one the app deploys, or another version of it.
    rule: 'artifact',
    match(facts, app) {
      let versionOf: string | undefined;
      for (const { purl, identity } of facts.artifacts) {
        const keys = new Set(listArtifactKeys(identity));
        for (const deployed of app.artifacts) {
          if (deployed.identity.base !== identity.base) continue;
          if (listArtifactKeys(deployed.identity).some((key) => keys.has(key))) {
            return `artifact ${purl} is deployed by this app${reportedSuffix(app, deployed.purl)}`;
          }
          versionOf ??= `artifact ${purl} is a version of ${deployed.purl}, which this app deploys${reportedSuffix(app, deployed.purl)}`;
        }
      }
      return versionOf;
    },
  },
  {
    // Changes, branches, repositories, pipeline runs and builds on the app's source repository.
    rule: 'source',
    subjects: ['change', 'branch', 'repository', 'pipelinerun', 'taskrun', 'build'],
    match(facts, app) {
      for (const source of app.repositories) {
        if (!facts.repositories.includes(source.repository)) continue;
        const revision = source.revisions.find((r) => facts.revisions.includes(r));
        if (revision)
          return `${describeSubject(facts)} on ${source.repository} at ${revision}, the revision this app deploys`;
        return `${describeSubject(facts)} on ${source.repository}, this app's source repository`;
      }
      return undefined;
    },
  },
  {
    // Test runs, incidents and environment events in the app's destination.
    rule: 'environment',
    subjects: ['testcaserun', 'testsuiterun', 'incident', 'environment'],
    match(facts, app) {
      const environment = app.environments.find((id) => facts.environmentIds.includes(id));
      return environment
        ? `${describeSubject(facts)} in ${environment}, this app's destination${reportedSuffix(app, environment)}`
        : undefined;
    },
  },
  {
    // Service events in the Argo CD proposal's format (argo-cd PR #24106, the argo-cdviz demo): subject id
    // `{destination namespace}/{app}`. Our own `{namespace}/{app}` is the app-independent subject rule's.
    rule: 'subject',
    subjects: ['service'],
    match(facts, app) {
      const [own, ...others] = app.serviceIds;
      const id = facts.subjectId;
      if (!id || id === own || !others.includes(id)) return undefined;
      return `subject id ${id} is this app's destination namespace and name, as Argo CD's proposed format writes it`;
    },
  },
  {
    // Incidents, tickets and test events that name the app's service, as content.service.id or subject.id.
    rule: 'service',
    subjects: ['incident', 'ticket', 'testcaserun', 'testsuiterun', 'testoutput'],
    match(facts, app) {
      const named = [...facts.serviceIds, ...(facts.subjectId ? [facts.subjectId] : [])];
      const service = app.serviceIds.find((id) => named.includes(id));
      return service ? `names this app's service ${service}` : undefined;
    },
  },
  {
    // The event caused one of the app's syncs: an emitted event names it with RELATION TRIGGER.
    rule: 'trigger',
    match(_facts, app, input) {
      const id = readContextId(input.event);
      return id !== undefined && app.triggeredBy.includes(id) ? `triggered a sync of this app` : undefined;
    },
  },
];

/** Turns a per-app rule into an attribution rule over every app the input knows. */
export function definePerAppRule(rule: ReceivedRule): AttributionRuleDefinition {
  return {
    rule: rule.rule,
    match(input) {
      // The app's own events are attributed by the emitted rule; these rules are about other tools.
      if (input.direction !== 'received' || !input.apps?.length) return [];
      const facts = input.facts ?? extractEventFacts(input.event);
      if (rule.subjects && !rule.subjects.includes(facts.subject ?? '')) return [];
      const matches: Array<{ app: AppProfile['app']; detail: string }> = [];
      for (const app of input.apps) {
        const detail = rule.match(facts, app, input);
        if (detail) matches.push({ app: app.app, detail });
      }
      return matches;
    },
  };
}
