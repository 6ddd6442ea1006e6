/**
 * The concrete event types of every spec line, derived from the spec tables by mapped types,
 * so that a table change changes the types. Each concrete type carries its spec line and its
 * type version in its type string:
 *
 *   CDEventOf<'0.5.1', 'service.deployed'>          // context.type 'dev.cdevents.service.deployed.0.3.0'
 *   CDEventByType['dev.cdevents.service.deployed.0.2.0']  // the 0.4.1 one
 *   CDEventV0_5_1                                   // the union of every 0.5.1 event
 */
import type { ContentOf } from './spec/fields';
import type { SubjectKey } from './spec/irregularities';
import type { specV0_3_0, specV0_4_1, specV0_5_1 } from './spec/specLines';
import type { EmbeddedLink, SpecVersion } from './types';

/** The event types of each spec line, keyed "<subject>.<predicate>". */
export interface SpecTables {
  '0.5.1': (typeof specV0_5_1)['types'];
  '0.5.0': (typeof specV0_5_1)['types'];
  '0.4.1': (typeof specV0_4_1)['types'];
  '0.3.0': (typeof specV0_3_0)['types'];
}

export type EventKey<S extends SpecVersion> = keyof SpecTables[S] & string;

/** The type string of one event type in one line, e.g. "dev.cdevents.service.deployed.0.3.0". */
export type EventTypeString<S extends SpecVersion, K extends EventKey<S>> = SpecTables[S][K] extends {
  version: infer V extends string;
}
  ? `dev.cdevents.${K}.${V}`
  : never;

/** The subject content of one event type in one line. */
export type ContentFor<S extends SpecVersion, K extends EventKey<S>> = SpecTables[S][K] extends { content: infer C }
  ? ContentOf<C>
  : never;

type SubjectOf<K extends string> = K extends `${infer Subject}.${string}` ? Subject : never;
type SubjectTypeName<K extends string> = SubjectOf<K> extends SubjectKey ? SubjectTypeNames[SubjectOf<K>] : string;
interface SubjectTypeNames {
  pipelinerun: 'pipelineRun';
  taskrun: 'taskRun';
  repository: 'repository';
  branch: 'branch';
  change: 'change';
  build: 'build';
  artifact: 'artifact';
  testcaserun: 'testCaseRun';
  testsuiterun: 'testSuiteRun';
  testoutput: 'testOutput';
  environment: 'environment';
  service: 'service';
  incident: 'incident';
  ticket: 'ticket';
}

interface ContextBase<T extends string> {
  id: string;
  source: string;
  type: T;
  timestamp: string;
}
interface ContextLinks {
  schemaUri?: string;
  chainId?: string;
  links?: EmbeddedLink[];
}

type ContextFor<S extends SpecVersion, T extends string> = S extends '0.5.1' | '0.5.0'
  ? ContextBase<T> & ContextLinks & { specversion: string }
  : S extends '0.4.1'
    ? ContextBase<T> & ContextLinks & { version: string }
    : ContextBase<T> & { version: string };

type SubjectFor<S extends SpecVersion, K extends EventKey<S>> = {
  id: string;
  source?: string;
  content: ContentFor<S, K>;
} & (S extends '0.4.1' | '0.3.0' ? { type: SubjectTypeName<K> } : unknown);

/** One concrete event: spec line S, event type K ("service.deployed"). */
export interface CDEventOf<S extends SpecVersion, K extends EventKey<S>> {
  context: ContextFor<S, EventTypeString<S, K>>;
  subject: SubjectFor<S, K>;
  customData?: Record<string, unknown> | string;
  customDataContentType?: string;
}

type UnionOf<S extends SpecVersion> = { [K in EventKey<S>]: CDEventOf<S, K> }[EventKey<S>];

export type CDEventV0_5_1 = UnionOf<'0.5.1'>;
export type CDEventV0_5_0 = UnionOf<'0.5.0'>;
export type CDEventV0_4_1 = UnionOf<'0.4.1'>;
export type CDEventV0_3_0 = UnionOf<'0.3.0'>;

/** Every standard event of every line, keyed by its type string. 0.5.0 shares 0.5.1's strings. */
export type CDEventByType = {
  [E in CDEventV0_5_1 | CDEventV0_4_1 | CDEventV0_3_0 as E['context']['type']]: E;
};

/** A custom event (`dev.cdeventsx.<tool>-<subject>.<predicate>.<M.m.p>`): open content. */
export interface CustomCDEvent {
  context: ContextBase<`dev.cdeventsx.${string}`> & ContextLinks & { specversion?: string; version?: string };
  subject: { id: string; source?: string; type?: string; content: Record<string, unknown> };
  customData?: Record<string, unknown> | string;
  customDataContentType?: string;
}
