import type { Attribution } from '../../backend/api/contract';
import { describePurl } from '../format/describePurl';

/**
 * The few words a timeline row shows for why a received event is in this app's tab, e.g.
 * "artifact auth 1.14.0 deployed here". The backend's sentence (src/backend/chains/receivedRules.ts)
 * names every purl and URL in full: right for the drawer and the row's tooltip, too long for a row
 * that repeats on every event. A sentence of a shape not known here is shown as sent. Pure.
 */
export function summariseAttribution(attribution: Attribution): string {
  // A deploy another tool reported ends the sentence with ", as <tool> reported": kept, in brackets.
  const reported = /^(.*), as (.+) reported$/.exec(attribution.detail);
  const summary = summarise(attribution.rule, reported ? reported[1]! : attribution.detail);
  return reported ? `${summary} (as ${reported[2]} reported)` : summary;
}

function summarise(rule: Attribution['rule'], detail: string): string {
  switch (rule) {
    case 'artifact': {
      const deployed = /^artifact (\S+) is deployed by this app$/.exec(detail);
      if (deployed) return `artifact ${describePurl(deployed[1]!)} deployed here`;
      const version = /^artifact (\S+) is a version of (\S+), which this app deploys$/.exec(detail);
      if (version)
        return `artifact ${describePurl(version[1]!)}, a version of ${describePurl(version[2]!)} deployed here`;
      return detail;
    }
    case 'source': {
      const atRevision = /^(.+) on (\S+) at (\S+), the revision this app deploys$/.exec(detail);
      if (atRevision) return `${atRevision[1]} at ${shortRevision(atRevision[3]!)}, deployed here`;
      const repository = /^(.+) on (\S+), this app's source repository$/.exec(detail);
      if (repository) return `${repository[1]} on this app's repository`;
      return detail;
    }
    case 'environment': {
      const environment = /^(.+) in (\S+), this app's destination$/.exec(detail);
      return environment ? `${environment[1]} in this app's destination` : detail;
    }
    case 'service':
      return /^names this app's service \S+$/.test(detail) ? "names this app's service" : detail;
    default:
      return detail;
  }
}

/** A git commit cut to 7 characters, as git shows it; a tag or branch as it is. */
function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}
