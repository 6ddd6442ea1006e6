/**
 * CDEvents spec 0.4.1 (tag v0.4.1, spec commit f95df21), written out as data. Most real
 * emitters (cdviz's transformers, the Argo CD proposal, Flux's receiver via sdk-go v04) use it.
 * `context.version` carries the spec version and `subject.type` names the subject.
 * test/cdevents/specTable.test.ts holds this table against the spec's own schemas.
 */
import {
  arrayOf,
  looseSubjectRef,
  nonEmpty,
  nonEmptyUri,
  object,
  oneOf,
  openEnum,
  openObject,
  required,
  subjectRef,
  text,
  uri,
  uriReference,
} from './fields';
import { defineSpecLine } from './specLine';

const outcome = oneOf('pass', 'fail', 'cancel', 'error');
const severity = oneOf('low', 'medium', 'high', 'critical');
const testCase = object({
  id: required(nonEmpty),
  version: text,
  name: text,
  type: oneOf('performance', 'functional', 'unit', 'security', 'compliance', 'integration', 'e2e', 'other'),
  uri,
});
const testSuite = object({ id: required(nonEmpty), version: text, name: text, uri });
const trigger = openObject({ type: oneOf('manual', 'pipeline', 'event', 'schedule', 'other'), uri });
const incident = { description: text, environment: required(subjectRef), service: subjectRef, artifactId: nonEmpty };
const ticket = {
  summary: text,
  ticketType: openEnum('bug', 'enhancement', 'incident', 'task', 'question'),
  group: text,
  creator: nonEmpty,
  assignees: arrayOf(text),
  priority: openEnum('low', 'medium', 'high'),
  labels: arrayOf(text),
  milestone: text,
  uri: required(uriReference),
};
const repositoryFields = { name: text, owner: text, url: text, viewUrl: text };

export const specV0_4_1 = defineSpecLine({
  specVersion: '0.4.1',
  versionField: 'version',
  subjectType: true,
  links: true,
  custom: true,
  types: {
    'pipelinerun.queued': { version: '0.2.0', content: { pipelineName: text, url: text } },
    'pipelinerun.started': { version: '0.2.0', content: { pipelineName: required(text), url: required(text) } },
    'pipelinerun.finished': {
      version: '0.2.0',
      content: { pipelineName: text, url: text, outcome: text, errors: text },
    },
    'taskrun.started': { version: '0.2.0', content: { taskName: text, url: text, pipelineRun: subjectRef } },
    'taskrun.finished': {
      version: '0.2.0',
      content: { taskName: text, url: text, pipelineRun: subjectRef, outcome: text, errors: text },
    },
    'repository.created': {
      version: '0.2.0',
      content: { ...repositoryFields, name: required(nonEmpty), url: required(nonEmpty) },
    },
    'repository.modified': { version: '0.2.0', content: repositoryFields },
    'repository.deleted': { version: '0.2.0', content: repositoryFields },
    'branch.created': { version: '0.2.0', content: { repository: subjectRef } },
    'branch.deleted': { version: '0.2.0', content: { repository: subjectRef } },
    'change.created': { version: '0.3.0', content: { description: nonEmpty, repository: subjectRef } },
    'change.updated': { version: '0.2.0', content: { repository: subjectRef } },
    'change.reviewed': { version: '0.2.0', content: { repository: subjectRef } },
    'change.merged': { version: '0.2.0', content: { repository: subjectRef } },
    'change.abandoned': { version: '0.2.0', content: { repository: subjectRef } },
    'build.queued': { version: '0.2.0', content: {} },
    'build.started': { version: '0.2.0', content: {} },
    'build.finished': { version: '0.2.0', content: { artifactId: text } },
    'artifact.packaged': {
      version: '0.2.0',
      content: { change: required(subjectRef), sbom: object({ uri: required(uriReference) }) },
    },
    'artifact.signed': { version: '0.2.0', content: { signature: required(nonEmpty) } },
    'artifact.published': {
      version: '0.2.0',
      content: { sbom: object({ uri: required(uriReference) }), user: nonEmpty },
    },
    'artifact.downloaded': { version: '0.1.0', content: { user: nonEmpty } },
    'artifact.deleted': { version: '0.1.0', content: { user: nonEmpty } },
    'testcaserun.queued': {
      version: '0.2.0',
      content: { trigger, environment: required(subjectRef), testSuiteRun: looseSubjectRef, testCase },
    },
    'testcaserun.started': {
      version: '0.2.0',
      content: { trigger, environment: required(subjectRef), testSuiteRun: looseSubjectRef, testCase },
    },
    'testcaserun.finished': {
      version: '0.2.0',
      content: {
        outcome: required(outcome),
        severity,
        reason: text,
        environment: required(subjectRef),
        testSuiteRun: looseSubjectRef,
        testCase,
      },
    },
    'testcaserun.skipped': {
      version: '0.1.0',
      content: { reason: text, environment: subjectRef, testSuiteRun: looseSubjectRef, testCase },
    },
    'testsuiterun.queued': {
      version: '0.2.0',
      // The one place where 0.4.1 still spells the test suite's link `url` (see irregularities.ts).
      content: {
        trigger,
        environment: required(subjectRef),
        testSuite: object({ id: required(nonEmpty), version: text, name: text, url: uri }),
      },
    },
    'testsuiterun.started': { version: '0.2.0', content: { trigger, environment: required(subjectRef), testSuite } },
    'testsuiterun.finished': {
      version: '0.2.0',
      content: { environment: required(subjectRef), testSuite, outcome: required(outcome), severity, reason: text },
    },
    'testoutput.published': {
      version: '0.2.0',
      content: {
        outputType: required(oneOf('report', 'video', 'image', 'log', 'other')),
        format: required(text),
        uri,
        testCaseRun: looseSubjectRef,
      },
    },
    'environment.created': { version: '0.2.0', content: { name: text, url: text } },
    'environment.modified': { version: '0.2.0', content: { name: text, url: text } },
    'environment.deleted': { version: '0.2.0', content: { name: text } },
    'service.deployed': {
      version: '0.2.0',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.upgraded': {
      version: '0.2.0',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.rolledback': {
      version: '0.2.0',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.removed': { version: '0.2.0', content: { environment: subjectRef } },
    'service.published': { version: '0.2.0', content: { environment: subjectRef } },
    'incident.detected': { version: '0.2.0', content: incident },
    'incident.reported': { version: '0.2.0', content: { ...incident, ticketURI: required(nonEmptyUri) } },
    'incident.resolved': { version: '0.2.0', content: incident },
    'ticket.created': {
      version: '0.1.0',
      content: { ...ticket, summary: required(text), creator: required(nonEmpty) },
    },
    'ticket.updated': { version: '0.1.0', content: { ...ticket, updatedBy: text } },
    'ticket.closed': {
      version: '0.1.0',
      content: {
        ...ticket,
        resolution: required({ ...openEnum('completed', 'withdrawn', 'duplicate'), minLength: 1 }),
        updatedBy: text,
      },
    },
  },
});
