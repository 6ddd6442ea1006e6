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
  const published = publications.map((publication) => ({ ...publication, keys: listKeys([publication.purl]) }));
  const samples: number[] = [];
  for (const deployment of deployments) {
    const deployed = listKeys(deployment.artifactIds);
    let latest: number | undefined;
    for (const publication of published) {
      if (publication.time > deployment.time || (latest !== undefined && publication.time <= latest)) continue;
      if ([...publication.keys].some((key) => deployed.has(key))) latest = publication.time;
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
