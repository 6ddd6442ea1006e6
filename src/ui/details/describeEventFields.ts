import type { EventRecord } from '../../backend/api/contract';
import { describeActorInDetail } from '../format/describeActor';
import { readContent, readString } from '../timeline/readPayload';

export interface EventField {
  label: string;
  /** Always text: the drawer renders it as a text node. */
  value: string;
}

/** The content fields that matter most per subject, in the order a user reads them (spec 0.3–0.5 names). */
const PRIORITY: Record<string, string[]> = {
  service: ['environment.id', 'environment.source', 'artifactId'],
  environment: ['name', 'url'],
  artifact: ['change.id', 'change.source', 'signature', 'sbom.uri', 'user'],
  build: ['artifactId'],
  change: ['repository.id', 'repository.source', 'url', 'description'],
  repository: ['name', 'owner', 'url', 'viewUrl'],
  branch: ['repository.id'],
  pipelinerun: ['pipelineName', 'outcome', 'url', 'errors'],
  taskrun: ['taskName', 'pipelineRun.id', 'outcome', 'url', 'errors'],
  testcaserun: ['testCase.id', 'testCase.name', 'testSuiteRun.id', 'environment.id', 'outcome', 'reason', 'severity'],
  testsuiterun: ['testSuite.id', 'testSuite.name', 'environment.id', 'outcome', 'reason', 'severity', 'url'],
  testoutput: ['outputType', 'format', 'uri', 'testCaseRun.id'],
  incident: ['description', 'environment.id', 'service.id', 'artifactId', 'ticketURI'],
  ticket: [
    'summary',
    'ticketType',
    'priority',
    'group',
    'creator',
    'assignees',
    'labels',
    'resolution',
    'updatedBy',
    'uri',
  ],
};

const MAX_FIELDS = 40;

/** Flattens nested content into dotted paths with text values (arrays of scalars joined). */
function flatten(value: unknown, path: string, out: Map<string, string>, depth: number): void {
  if (out.size >= MAX_FIELDS) return;
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (path) out.set(path, String(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) {
      if (value.length > 0) out.set(path, value.join(', '));
      return;
    }
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, out, depth + 1));
    return;
  }
  if (typeof value === 'object' && depth < 4) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      flatten(child, path ? `${path}.${key}` : key, out, depth + 1);
    }
  }
}

/**
 * The fields shown at the top of the drawer: the event's identity, then its subject's content
 * with the fields that matter for its type first.
 */
export function describeEventFields(event: EventRecord): EventField[] {
  const fields: EventField[] = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) fields.push({ label, value });
  };
  add('Type', event.type);
  add('Subject id', event.subjectId);
  add('Subject source', readString(event.payload, ['subject', 'source']));
  add('Source', event.source);
  add('Id', event.id);
  add('Time', event.timestamp);
  add('Received', event.receivedAt);
  add('Spec version', event.specVersion);
  add('Chain id', event.chainId);
  add('Who', describeActorInDetail(event));

  const content = new Map<string, string>();
  flatten(readContent(event.payload), '', content, 0);
  const priority = (event.subject && PRIORITY[event.subject]) || [];
  const ordered = [
    ...priority.filter((path) => content.has(path)),
    ...[...content.keys()].filter((path) => !priority.includes(path)),
  ];
  for (const path of ordered) add(path, content.get(path));
  return fields;
}
