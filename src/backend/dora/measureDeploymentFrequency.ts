import type { DeploymentFrequency, DoraMissing } from '../api/contract';
import { describeWindow } from './describeWindow';
import { isDeployment, isInWindow, type DoraServiceEvent, type DoraWindow } from './doraInput';

const DAY = 86_400_000;

/**
 * service.deployed and service.upgraded per day over the whole window (not the
 * span between the first and last deployment, as cdviz's dashboard divides by:
 * two deployments an hour apart would read as 48 a day there).
 */
export function measureDeploymentFrequency(
  services: readonly DoraServiceEvent[],
  window: DoraWindow,
): DeploymentFrequency | DoraMissing {
  const deployments = services.filter((event) => isDeployment(event) && isInWindow(event.time, window)).length;
  if (deployments === 0) {
    return { missing: `no service.deployed or service.upgraded event for this app in ${describeWindow(window.label)}` };
  }
  const days = (window.to - window.from) / DAY;
  return { perDay: deployments / days, deployments, days };
}
