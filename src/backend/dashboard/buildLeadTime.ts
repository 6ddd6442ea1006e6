/**
 * One deployment's path change → build → artifact → deploy, read off its causal
 * chain. Pure: the caller loads the chain.
 *
 * The walk goes backwards from the deployment, only to events of an earlier or
 * the same stage (change, build, artifact) that happened no later than the
 * event it came from, and never over an `environment` edge: an environment
 * joins whatever ran in the same place within the hour, not what this
 * deployment was built from. Each stage's earliest event found counts.
 */
import type { ChainNode, ChainResponse, DashboardLeadTime, LeadTimeStage } from '../api/contract';

const stageOrder: Readonly<Record<LeadTimeStage, number>> = { change: 0, build: 1, artifact: 2, deploy: 3 };
const stagesInOrder: readonly LeadTimeStage[] = ['change', 'build', 'artifact', 'deploy'];

function isLeadTimeStage(stage: string): stage is LeadTimeStage {
  return stage in stageOrder;
}

function timeOf(node: ChainNode): number | undefined {
  const time = node.timestamp === null ? NaN : Date.parse(node.timestamp);
  return Number.isNaN(time) ? undefined : time;
}

/** `deployment` is the chain's start: its key and the environment it deployed to. */
export function buildLeadTime(
  chain: ChainResponse,
  { key: deploymentKey, environment }: { key: string; environment: string | null },
): DashboardLeadTime {
  const nodes = new Map(chain.nodes.map((node) => [node.key, node]));
  const deployment = nodes.get(deploymentKey);
  const deployedAt = deployment ? timeOf(deployment) : undefined;
  if (!deployment || deployedAt === undefined) {
    return { deploymentKey, environment, stages: {}, steps: [], totalSeconds: null };
  }
  const neighbours = new Map<string, string[]>();
  for (const edge of chain.edges) {
    if (edge.reason === 'environment') continue;
    neighbours.set(edge.from, [...(neighbours.get(edge.from) ?? []), edge.to]);
    neighbours.set(edge.to, [...(neighbours.get(edge.to) ?? []), edge.from]);
  }
  const earliest = new Map<LeadTimeStage, number>([['deploy', deployedAt]]);
  const visited = new Set([deploymentKey]);
  const queue: Array<{ key: string; stage: LeadTimeStage; time: number }> = [
    { key: deploymentKey, stage: 'deploy', time: deployedAt },
  ];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const key of neighbours.get(current.key) ?? []) {
      const node = nodes.get(key);
      if (!node || visited.has(key) || !isLeadTimeStage(node.stage) || node.stage === 'deploy') continue;
      const time = timeOf(node);
      if (time === undefined || time > current.time || stageOrder[node.stage] > stageOrder[current.stage]) continue;
      visited.add(key);
      earliest.set(node.stage, Math.min(earliest.get(node.stage) ?? Infinity, time));
      queue.push({ key, stage: node.stage, time });
    }
  }
  const found = stagesInOrder.filter((stage) => earliest.has(stage));
  const steps = found.slice(1).map((to, index) => {
    const from = found[index]!;
    return { from, to, seconds: Math.max(0, Math.round((earliest.get(to)! - earliest.get(from)!) / 1000)) };
  });
  const first = earliest.get(found[0]!)!;
  return {
    deploymentKey,
    environment,
    stages: Object.fromEntries(found.map((stage) => [stage, new Date(earliest.get(stage)!).toISOString()])),
    steps,
    totalSeconds: found.length > 1 ? Math.round((deployedAt - first) / 1000) : null,
  };
}
