import type { EventRecord } from '../../backend/api/contract';
import { readContent, readString } from '../timeline/readPayload';
import { toSafeHref } from './toSafeHref';

export interface EventLink {
  label: string;
  /** Shown as text, and as the link text when href is set. */
  text: string;
  /** Set only for http(s) URLs. */
  href?: string;
}

function link(label: string, value: string | undefined): EventLink | undefined {
  return value ? { label, text: value, href: toSafeHref(value) } : undefined;
}

/** https://host/owner/repo(.git) + sha → the commit page on GitHub, GitLab, Gitea and the like. */
function buildCommitUrl(repositoryUrl: string | undefined, revision: string | undefined): string | undefined {
  if (!repositoryUrl || !revision || !/^[0-9a-f]{7,64}$/i.test(revision)) return undefined;
  const base = toSafeHref(repositoryUrl.replace(/\.git$/, '').replace(/\/+$/, ''));
  if (!base) return undefined;
  const separator = base.includes('gitlab') ? '/-/commit/' : '/commit/';
  return `${base}${separator}${revision}`;
}

/**
 * Links out of an event: its artifact, its repository commit, its pipeline or task run, and
 * the tool that sent it. Only http(s) URLs become links; everything else is text.
 */
export function buildEventLinks(event: EventRecord): EventLink[] {
  const content = readContent(event.payload);
  const p = event.payload;
  const links: Array<EventLink | undefined> = [];

  const artifact =
    readString(content, ['artifactId']) ?? (event.subject === 'artifact' ? (event.subjectId ?? undefined) : undefined);
  links.push(link('Artifact', artifact));

  const repository =
    readString(content, ['repository', 'url']) ??
    readString(content, ['repository', 'id']) ??
    (event.subject === 'repository' ? (readString(content, ['viewUrl']) ?? readString(content, ['url'])) : undefined);
  const revision =
    readString(content, ['revision']) ??
    readString(content, ['change', 'id']) ??
    readString(p, ['customData', 'revision']) ??
    readString(p, ['customData', 'argocd', 'revision']);
  const commit = buildCommitUrl(repository, revision);
  if (commit) links.push({ label: 'Commit', text: revision ?? commit, href: commit });
  else links.push(link('Repository', repository));

  if (event.subject === 'pipelinerun' || event.subject === 'taskrun') {
    links.push(link(event.subject === 'pipelinerun' ? 'Pipeline run' : 'Task run', readString(content, ['url'])));
  }
  links.push(link('Pipeline run', readString(content, ['pipelineRun', 'url'])));
  if (event.subject === 'testoutput') links.push(link('Test output', readString(content, ['uri'])));
  links.push(link('Ticket', readString(content, ['ticketURI'])));
  if (event.subject === 'ticket') links.push(link('Ticket', readString(content, ['uri'])));
  links.push(link('Source tool', toSafeHref(event.source) ? event.source : undefined));

  const seen = new Set<string>();
  return links.filter((entry): entry is EventLink => {
    if (!entry) return false;
    const id = `${entry.label}:${entry.text}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
