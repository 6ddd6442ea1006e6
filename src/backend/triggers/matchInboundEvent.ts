/**
 * Does a received event fire an inbound rule, and why. Pure: the caller passes
 * the stored event. Every condition the rule sets must hold; the reasons are
 * sentences the panel and the dry run show.
 */
import type { InboundMatch } from '../api/triggerContract';
import { extractEventFacts } from '../chains/extractEventFacts';

/** The parts of a stored event a rule looks at. */
export interface CandidateEvent {
  type: string | null;
  source: string;
  id: string;
  subjectId: string | null;
  chainId: string | null;
  verdict: string;
  payload: unknown;
}

export type MatchResult = { matched: true; reasons: string[] } | { matched: false; failed: string };

/** `*` matches any run of characters; everything else literally. */
export function isGlobMatch(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(value);
}

/** A value at a dotted path of an object, or undefined. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isTypeMatch(pattern: string, type: string): boolean {
  return type === pattern || type.startsWith(`${pattern}.`);
}

/** Both spellings of a purl's `:` (encoded or not), so a pattern written either way matches. */
function purlSpellings(purl: string): string[] {
  return [...new Set([purl, purl.replace(/%3A/gi, ':'), decodeURIComponentSafe(purl)])];
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function readOutcome(payload: unknown): string | undefined {
  const outcome = readPath(payload, 'subject.content.outcome');
  return typeof outcome === 'string' ? outcome : undefined;
}

export function matchInboundEvent(match: InboundMatch, event: CandidateEvent): MatchResult {
  if (event.verdict !== 'valid') return { matched: false, failed: 'the event is not a valid CDEvent' };
  const type = event.type ?? '';
  const reasons: string[] = [];
  const typePattern = match.types.find((pattern) => isTypeMatch(pattern, type));
  if (!typePattern)
    return { matched: false, failed: `type ${type || '(none)'} is not one of ${match.types.join(', ')}` };
  reasons.push(`type is ${type}`);
  if (match.source !== undefined) {
    if (!isGlobMatch(match.source, event.source)) return { matched: false, failed: `source ${event.source} differs` };
    reasons.push(`source is ${event.source}`);
  }
  if (match.subjectId !== undefined) {
    if (!event.subjectId || !isGlobMatch(match.subjectId, event.subjectId)) {
      return { matched: false, failed: `subject id ${event.subjectId ?? '(none)'} differs` };
    }
    reasons.push(`subject id is ${event.subjectId}`);
  }
  const facts = extractEventFacts(event.payload);
  if (match.artifactPurl !== undefined) {
    const pattern = match.artifactPurl;
    const artifact = facts.artifactIds.find((purl) =>
      purlSpellings(purl).some((spelling) => isGlobMatch(pattern, spelling)),
    );
    if (!artifact) return { matched: false, failed: `no artifact of the event matches ${pattern}` };
    reasons.push(`artifact ${artifact} matches ${pattern}`);
  }
  if (match.environment !== undefined) {
    const environment = facts.environmentIds.find((id) => isGlobMatch(match.environment!, id));
    if (!environment) return { matched: false, failed: `the event names no environment ${match.environment}` };
    reasons.push(`environment is ${environment}`);
  }
  if (match.outcome !== undefined) {
    const outcome = readOutcome(event.payload);
    if (outcome?.toLowerCase() !== match.outcome.toLowerCase()) {
      return { matched: false, failed: `outcome ${outcome ?? '(none)'} is not ${match.outcome}` };
    }
    reasons.push(`outcome is ${outcome}`);
  }
  if (match.customData !== undefined) {
    const value = readPath(readPath(event.payload, 'customData'), match.customData.field);
    const text =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    if (text !== match.customData.equals) {
      return { matched: false, failed: `customData.${match.customData.field} is not ${match.customData.equals}` };
    }
    reasons.push(`customData.${match.customData.field} is ${text}`);
  }
  return { matched: true, reasons };
}
