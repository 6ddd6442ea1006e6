import type { AppDoraFigures } from '../api/contract';
import type { DoraInput } from './doraInput';
import { measureChangeFailureRate } from './measureChangeFailureRate';
import { measureDeploymentFrequency } from './measureDeploymentFrequency';
import { measureLeadTime } from './measureLeadTime';
import { measureTimeToRestore } from './measureTimeToRestore';

/** The app's four DORA figures over the window; each a value or the sentence naming the data it lacks. */
export function buildDoraFigures(input: DoraInput): AppDoraFigures {
  return {
    deploymentFrequency: measureDeploymentFrequency(input.services, input.window),
    leadTime: measureLeadTime(input.services, input.publications, input.window),
    changeFailureRate: measureChangeFailureRate(input.services, input.incidents, input.window),
    timeToRestore: measureTimeToRestore(input.incidents, input.window),
  };
}
