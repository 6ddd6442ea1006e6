/**
 * The received `artifact.published` event that most plausibly caused a sync:
 * the latest one, not later than the sync, whose subject id is one of the
 * purls the sync deployed. It is the sync's RELATION TRIGGER target and lends
 * it its chainId, so CI → deploy reads as one chain.
 */
import { normalisePurl } from '../argocd/purl';
import type { SqlQueryable } from './sqlExecutor';

export interface PublishedArtifact {
  contextId: string;
  chainId: string | null;
  purl: string;
}

/** The spellings a tool may use for one purl: as given, canonical, and with `:` left unencoded in the version. */
function spellingsOf(purls: readonly string[]): string[] {
  const spellings = new Set<string>();
  for (const purl of purls) {
    spellings.add(purl);
    const canonical = normalisePurl(purl);
    if (!canonical) continue;
    spellings.add(canonical);
    spellings.add(canonical.replace(/%3A/gi, ':'));
  }
  return [...spellings];
}

export async function findPublishedArtifact(
  sql: SqlQueryable,
  purls: readonly string[],
  notAfter: string | undefined,
): Promise<PublishedArtifact | undefined> {
  if (purls.length === 0) return undefined;
  const { rows } = await sql.query<{ context_id: string; chain_id: string | null; subject_id: string }>(
    `SELECT context_id, chain_id, subject_id FROM events
     WHERE subject_id = ANY($1::text[]) AND subject = 'artifact' AND predicate = 'published'
       AND direction = 'received' AND ($2::timestamptz IS NULL OR sort_time <= $2::timestamptz)
     ORDER BY sort_time DESC, seq DESC
     LIMIT 1`,
    [spellingsOf(purls), notAfter ?? null],
  );
  const row = rows[0];
  return row ? { contextId: row.context_id, chainId: row.chain_id, purl: row.subject_id } : undefined;
}
