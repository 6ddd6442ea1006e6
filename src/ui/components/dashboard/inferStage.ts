/**
 * The stage an environment id names (dev → test → staging → production), from the words in it: a
 * cluster URL and namespace such as `https://staging.k8s.example.com/auth` or `in-cluster/auth-dev`.
 * The last word that names a stage wins (the namespace is more specific than the cluster).
 * Null when no word does; the matrix then orders that environment by the data (ADR 0013).
 */
export interface Stage {
  key: string;
  label: string;
  rank: number;
}

const STAGES: ReadonlyArray<{ label: string; words: readonly string[] }> = [
  { label: 'dev', words: ['dev', 'devel', 'develop', 'development', 'sandbox', 'local'] },
  { label: 'test', words: ['test', 'testing', 'qa', 'int', 'integration', 'ci', 'e2e'] },
  { label: 'staging', words: ['staging', 'stage', 'stg', 'uat', 'preprod', 'preview', 'canary'] },
  { label: 'production', words: ['prod', 'production', 'prd', 'live'] },
];

export function inferStage(environmentId: string): Stage | null {
  const words = environmentId
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    // prod1, eu-prod2: a numbered copy of a stage is that stage.
    .map((word) => word.replace(/[0-9]+$/, ''));
  for (let index = words.length - 1; index >= 0; index--) {
    const rank = STAGES.findIndex((stage) => stage.words.includes(words[index]!));
    if (rank >= 0) return { key: `stage:${STAGES[rank]!.label}`, label: STAGES[rank]!.label, rank };
  }
  return null;
}
