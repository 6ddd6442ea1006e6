import type { AppSummaryResponse, DoraMissing } from '../../../backend/api/contract';
import { formatAbsoluteTime, formatRelativeTime } from '../../format/formatTime';
import { describeArtifact, formatDuration } from '../dashboard/buildDashboardView';

/** One term of the strip: what it is, its value (or why there is none), a line of detail. */
export interface SummaryFigure {
  id: string;
  term: string;
  /** How the figure is defined, for the term's tooltip. */
  definition: string;
  /** Null when the figure cannot be computed; `detail` then says what data it lacks. */
  value: string | null;
  detail: string;
  /** The detail in full, for its tooltip (details are clamped to keep the strip compact). */
  detailTitle?: string;
  tone?: 'bad' | 'ok';
}

/** The DORA figure definitions the strip's tooltips show. */
export const DORA_DEFINITIONS = {
  deploymentFrequency:
    'DORA deployment frequency: service.deployed and service.upgraded events per day over the window.',
  leadTime:
    'DORA lead time for changes, artifact to deploy (median): each deployment’s time minus the latest earlier artifact.published of the artifact it deployed.',
  changeFailureRate:
    'DORA change failure rate: deployments (deployed or upgraded) rolled back by the next deployment of their environment, or followed by an incident.detected before it, over all deployments in the window.',
  timeToRestore:
    'DORA time to restore service (median): incident.resolved minus the incident.detected with the same subject id, over incidents resolved in the window.',
} as const;

const PREDICATE_WORDS: Readonly<Record<string, string>> = {
  deployed: 'deployed',
  upgraded: 'upgraded',
  rolledback: 'rolled back',
};

function isMissing(figure: object): figure is DoraMissing {
  return 'missing' in figure;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** 2.5 / day, 1.4 / week, or the count when rarer than weekly. */
function formatFrequency(perDay: number, deployments: number, days: number): string {
  if (perDay >= 1) return `${perDay.toFixed(1).replace(/\.0$/, '')} / day`;
  const perWeek = perDay * 7;
  if (perWeek >= 1) return `${perWeek.toFixed(1).replace(/\.0$/, '')} / week`;
  return `${deployments} in ${Math.round(days)} d`;
}

/** `30d` → "30 days", `12h` → "12 hours". */
export function describeWindowLength(window: string): string {
  const match = /^(\d+)([dh])$/.exec(window);
  if (!match) return window;
  return plural(Number(match[1]), match[2] === 'd' ? 'day' : 'hour');
}

/** The strip's eight terms, in reading order: the app's activity first, then its DORA figures. */
export function buildSummaryFigures(summary: AppSummaryResponse, now: number): SummaryFigure[] {
  const { deployments, lastDeploy, openIncidents, dora } = summary;
  const windowText = describeWindowLength(summary.window);
  const figures: SummaryFigure[] = [
    {
      id: 'deployments',
      term: 'Deployments',
      definition: `service.deployed, upgraded and rolledback events in the last ${windowText}.`,
      value: String(deployments.total),
      detail: `${deployments.deployed} deployed · ${deployments.upgraded} upgraded · ${deployments.rolledback} rolled back`,
    },
    lastDeploy
      ? {
          id: 'last-deploy',
          term: 'Last deploy',
          definition: 'The newest service.deployed, upgraded or rolledback event, whatever its age.',
          value: formatRelativeTime(lastDeploy.timestamp, now) || formatAbsoluteTime(lastDeploy.timestamp),
          detail: `${PREDICATE_WORDS[lastDeploy.predicate] ?? lastDeploy.predicate} ${describeArtifact(lastDeploy.artifactId)}`,
          detailTitle: `${formatAbsoluteTime(lastDeploy.timestamp)}${lastDeploy.environment ? ` to ${lastDeploy.environment}` : ''}`,
        }
      : {
          id: 'last-deploy',
          term: 'Last deploy',
          definition: 'The newest service.deployed, upgraded or rolledback event, whatever its age.',
          value: null,
          detail: 'no service event was emitted for this app yet',
        },
    {
      id: 'failures',
      term: 'Failures',
      definition: `Finished pipeline, task and test runs with outcome failure or error in the last ${windowText}.`,
      value: String(summary.failures),
      detail: 'failed runs',
      ...(summary.failures > 0 ? { tone: 'bad' as const } : {}),
    },
    {
      id: 'open-incidents',
      term: 'Open incidents',
      definition: 'incident.detected events with no incident.resolved of the same subject id, whatever their age.',
      value: String(openIncidents.count),
      detail: openIncidents.oldest
        ? `oldest ${formatRelativeTime(openIncidents.oldest.timestamp, now)}${openIncidents.oldest.description ? `: ${openIncidents.oldest.description}` : ''}`
        : 'none open',
      ...(openIncidents.count > 0 ? { tone: 'bad' as const } : {}),
    },
  ];

  const frequency = dora.deploymentFrequency;
  figures.push({
    id: 'deployment-frequency',
    term: 'Deploy frequency',
    definition: DORA_DEFINITIONS.deploymentFrequency,
    ...(isMissing(frequency)
      ? { value: null, detail: frequency.missing }
      : {
          value: formatFrequency(frequency.perDay, frequency.deployments, frequency.days),
          detail: `${plural(frequency.deployments, 'deployment')} in ${windowText}`,
        }),
  });
  const leadTime = dora.leadTime;
  figures.push({
    id: 'lead-time',
    term: 'Lead time',
    definition: DORA_DEFINITIONS.leadTime,
    ...(isMissing(leadTime)
      ? { value: null, detail: leadTime.missing }
      : {
          value: formatDuration(Math.round(leadTime.p50Seconds)),
          detail: `median artifact → deploy, ${leadTime.samples} of ${plural(leadTime.deployments, 'deployment')}`,
        }),
  });
  const failureRate = dora.changeFailureRate;
  figures.push({
    id: 'change-failure-rate',
    term: 'Change failure rate',
    definition: DORA_DEFINITIONS.changeFailureRate,
    ...(isMissing(failureRate)
      ? { value: null, detail: failureRate.missing }
      : {
          value: `${Math.round(failureRate.rate * 100)} %`,
          detail: `${failureRate.failed} of ${plural(failureRate.deployments, 'deployment')}${failureRate.note ? `; ${failureRate.note}` : ''}`,
          ...(failureRate.failed > 0 ? { tone: 'bad' as const } : { tone: 'ok' as const }),
        }),
  });
  const restore = dora.timeToRestore;
  figures.push({
    id: 'time-to-restore',
    term: 'Time to restore',
    definition: DORA_DEFINITIONS.timeToRestore,
    ...(isMissing(restore)
      ? { value: null, detail: restore.missing }
      : {
          value: formatDuration(Math.round(restore.p50Seconds)),
          detail: `median of ${plural(restore.samples, 'incident')} resolved`,
        }),
  });
  return figures;
}
