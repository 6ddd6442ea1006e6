import type { DoraLeadTime, DoraMissing } from '../api/contract';
import { listArtifactKeys, parseArtifactId } from '../chains/parseArtifactId';
import { computeMedian } from './computeMedian';
import { describeWindow } from './describeWindow';
import { isDeployment, isInWindow, type DoraPublication, type DoraServiceEvent, type DoraWindow } from './doraInput';

/**
 * `base@version` for every version an artifact is known by, so that a digest
 * published with its tag matches a deployment that names only the tag (or the
 * reverse): "the same purl, or a version of it".
 */
function listKeys(purls: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const purl of purls) {
    const identity = parseArtifactId(purl);
    if (identity) for (const key of listArtifactKeys(identity)) keys.add(key);
  }
  return keys;
}

/**
 * Each artifact key's publication times, ascending. The trends measure 13 weeks over the same
 * publications, so the index is built once per list: parsing every purl for every week made the
 * trends' cost grow with the square of an app's history.
 */
const publicationIndexes = new WeakMap<readonly DoraPublication[], Map<string, number[]>>();

function indexPublications(publications: readonly DoraPublication[]): Map<string, number[]> {
  const cached = publicationIndexes.get(publications);
  if (cached) return cached;
  const index = new Map<string, number[]>();
  for (const publication of publications) {
    for (const key of listKeys([publication.purl])) {
      const times = index.get(key);
      if (times) times.push(publication.time);
      else index.set(key, [publication.time]);
    }
  }
  for (const times of index.values()) times.sort((a, b) => a - b);
  publicationIndexes.set(publications, index);
  return index;
}

/** The largest of ascending `times` not after `limit`, by binary search. */
function latestAtOrBefore(times: readonly number[] | undefined, limit: number): number | undefined {
  if (!times || times.length === 0 || times[0]! > limit) return undefined;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (times[middle]! <= limit) low = middle;
    else high = middle - 1;
  }
  return times[low];
}

/**
 * Lead time for changes, from artifact to deploy (p50): for each deployment in
 * the window, its time minus the latest artifact.published, not later than it,
 * of an artifact it deployed. Rollbacks are left out: they redeploy an old
 * artifact, whose publication says nothing about how fast changes ship.
 */
export function measureLeadTime(
  services: readonly DoraServiceEvent[],
  publications: readonly DoraPublication[],
  window: DoraWindow,
): DoraLeadTime | DoraMissing {
  const deployments = services.filter((event) => isDeployment(event) && isInWindow(event.time, window));
  if (deployments.length === 0) {
    return {
      missing: `no service.deployed or service.upgraded event for this app in ${describeWindow(window.label)} to measure from`,
    };
  }
  const publishedTimes = indexPublications(publications);
  const samples: number[] = [];
  for (const deployment of deployments) {
    let latest: number | undefined;
    for (const key of listKeys(deployment.artifactIds)) {
      const time = latestAtOrBefore(publishedTimes.get(key), deployment.time);
      if (time !== undefined && (latest === undefined || time > latest)) latest = time;
    }
    if (latest !== undefined) samples.push((deployment.time - latest) / 1000);
  }
  if (samples.length === 0) {
    return {
      missing:
        publications.length === 0
          ? 'no artifact.published event was received for this app'
          : 'no artifact.published event for the artifacts this app deployed',
    };
  }
  return { p50Seconds: computeMedian(samples), samples: samples.length, deployments: deployments.length };
}
