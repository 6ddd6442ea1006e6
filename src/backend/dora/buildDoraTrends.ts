import type { DoraMissing, DoraTrends, DoraWeek } from '../api/contract';
import type { DoraIncident, DoraPublication, DoraServiceEvent, DoraWindow } from './doraInput';
import { isDeployment, isInWindow } from './doraInput';
import { measureChangeFailureRate } from './measureChangeFailureRate';
import { measureLeadTime } from './measureLeadTime';
import { measureTimeToRestore } from './measureTimeToRestore';

const WEEK = 7 * 86_400_000;

export interface DoraTrendInput {
  /** The end of the last week (now), ms since the epoch. */
  to: number;
  /** How many weeks back from `to`. */
  weeks: number;
  /** Service events from the first week's start up to `to`. */
  services: DoraServiceEvent[];
  /** Publications up to `to`, from far enough back for the first week's deployments. */
  publications: DoraPublication[];
  /** Incidents up to `to`, whatever their age. */
  incidents: DoraIncident[];
  /** The time of the app's first service event ever (any environment asked for), null when it has none. */
  firstServiceTime: number | null;
}

/** A figure's value, or its `{missing}` sentence as is. */
function valueOr<T, V>(figure: T | DoraMissing, pick: (value: T) => V): V | DoraMissing {
  return typeof figure === 'object' && figure !== null && 'missing' in figure ? figure : pick(figure as T);
}

/**
 * The four DORA figures week by week, oldest week first, for the charts. Each week is measured by the
 * same functions as the strip's figures, over that week as the window. A week with no deployment has
 * a count of 0 once the app's history has begun (the backend saw its first service event); before
 * that, the count is missing, not 0: nothing says whether the app deployed then.
 */
export function buildDoraTrends(input: DoraTrendInput): DoraTrends {
  const start = input.to - input.weeks * WEEK;
  const weeks: DoraWeek[] = [];
  for (let index = 0; index < input.weeks; index++) {
    const from = start + index * WEEK;
    const to = start + (index + 1) * WEEK;
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    // Half-open weeks, so an event on a boundary counts once, in the later week; the last includes `to`.
    const window: DoraWindow = {
      from,
      to: index === input.weeks - 1 ? to : to - 1,
      label: `${day(from)} to ${day(to)}`,
    };
    const deployments: number | DoraMissing =
      input.firstServiceTime === null
        ? { missing: 'no service event was received for this app' }
        : input.firstServiceTime > to
          ? { missing: `no service event for this app before ${new Date(input.firstServiceTime).toISOString()}` }
          : input.services.filter((event) => isDeployment(event) && isInWindow(event.time, window)).length;
    weeks.push({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      deployments,
      leadTimeSeconds: valueOr(
        measureLeadTime(input.services, input.publications, window),
        (value) => value.p50Seconds,
      ),
      changeFailureRate: valueOr(
        measureChangeFailureRate(input.services, input.incidents, window),
        (value) => value.rate,
      ),
      timeToRestoreSeconds: valueOr(measureTimeToRestore(input.incidents, window), (value) => value.p50Seconds),
    });
  }
  return { from: new Date(start).toISOString(), to: new Date(input.to).toISOString(), weeks };
}
