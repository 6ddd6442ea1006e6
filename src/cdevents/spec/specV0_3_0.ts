/**
 * CDEvents spec 0.3.0 (tag v0.3.0, spec commit 2b63793), written out as data. Testkube,
 * Spinnaker and sdk-java 0.3.x emit it. No links, chainId or schemaUri yet; no ticket,
 * artifact.downloaded/deleted or testcaserun.skipped; no custom events.
 * test/cdevents/specTable.test.ts holds this table against the spec's own schemas.
 */
import {
  looseSubjectRef,
  nonEmpty,
  nonEmptyUri,
  object,
  oneOf,
  openObject,
  required,
  subjectRef,
  text,
  uri,
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
const repositoryFields = { name: text, owner: text, url: text, viewUrl: text };

export const specV0_3_0 = defineSpecLine({
  specVersion: '0.3.0',
  versionField: 'version',
  subjectType: true,
  links: false,
  custom: false,
  types: {
    'pipelinerun.queued': { version: '0.1.1', content: { pipelineName: text, url: text } },
    'pipelinerun.started': { version: '0.1.1', content: { pipelineName: required(text), url: required(text) } },
    'pipelinerun.finished': {
      version: '0.1.1',
      content: { pipelineName: text, url: text, outcome: text, errors: text },
    },
    'taskrun.started': { version: '0.1.1', content: { taskName: text, url: text, pipelineRun: subjectRef } },
    'taskrun.finished': {
      version: '0.1.1',
      content: { taskName: text, url: text, pipelineRun: subjectRef, outcome: text, errors: text },
    },
    'repository.created': {
      version: '0.1.1',
      content: { ...repositoryFields, name: required(nonEmpty), url: required(nonEmpty) },
    },
    'repository.modified': { version: '0.1.1', content: repositoryFields },
    'repository.deleted': { version: '0.1.1', content: repositoryFields },
    'branch.created': { version: '0.1.2', content: { repository: subjectRef } },
    'branch.deleted': { version: '0.1.2', content: { repository: subjectRef } },
    'change.created': { version: '0.1.2', content: { repository: subjectRef } },
    'change.updated': { version: '0.1.2', content: { repository: subjectRef } },
    'change.reviewed': { version: '0.1.2', content: { repository: subjectRef } },
    'change.merged': { version: '0.1.2', content: { repository: subjectRef } },
    'change.abandoned': { version: '0.1.2', content: { repository: subjectRef } },
    'build.queued': { version: '0.1.1', content: {} },
    'build.started': { version: '0.1.1', content: {} },
    'build.finished': { version: '0.1.1', content: { artifactId: text } },
    'artifact.packaged': { version: '0.1.1', content: { change: required(subjectRef) } },
    'artifact.signed': { version: '0.1.0', content: { signature: required(nonEmpty) } },
    'artifact.published': { version: '0.1.1', content: {} },
    'testcaserun.queued': {
      version: '0.1.0',
      content: { trigger, environment: required(subjectRef), testSuiteRun: looseSubjectRef, testCase },
    },
    'testcaserun.started': {
      version: '0.1.0',
      content: { trigger, environment: required(subjectRef), testSuiteRun: looseSubjectRef, testCase },
    },
    'testcaserun.finished': {
      version: '0.1.0',
      content: {
        outcome: required(outcome),
        severity,
        reason: text,
        environment: required(subjectRef),
        testSuiteRun: looseSubjectRef,
        testCase,
      },
    },
    'testsuiterun.queued': {
      version: '0.1.0',
      content: {
        trigger,
        environment: required(subjectRef),
        testSuite: object({ id: required(nonEmpty), version: text, name: text, url: uri }),
      },
    },
    'testsuiterun.started': { version: '0.1.0', content: { trigger, environment: required(subjectRef), testSuite } },
    'testsuiterun.finished': {
      version: '0.1.0',
      content: { environment: required(subjectRef), testSuite, outcome: required(outcome), severity, reason: text },
    },
    'testoutput.published': {
      version: '0.1.0',
      content: {
        outputType: required(oneOf('report', 'video', 'image', 'log', 'other')),
        format: required(text),
        uri,
        testCaseRun: looseSubjectRef,
      },
    },
    'environment.created': { version: '0.1.1', content: { name: text, url: text } },
    'environment.modified': { version: '0.1.1', content: { name: text, url: text } },
    'environment.deleted': { version: '0.1.1', content: { name: text } },
    'service.deployed': {
      version: '0.1.1',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.upgraded': {
      version: '0.1.1',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.rolledback': {
      version: '0.1.1',
      content: { environment: required(subjectRef), artifactId: required(nonEmpty) },
    },
    'service.removed': { version: '0.1.1', content: { environment: subjectRef } },
    'service.published': { version: '0.1.1', content: { environment: subjectRef } },
    'incident.detected': { version: '0.1.0', content: incident },
    'incident.reported': { version: '0.1.0', content: { ...incident, ticketURI: required(nonEmptyUri) } },
    'incident.resolved': { version: '0.1.0', content: incident },
  },
});
