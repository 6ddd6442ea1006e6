/**
 * The app's DORA figures, computed from events the store fetched (pure, no database).
 * Times are hours on 2026-03-01..31; the window is the 30 days up to 2026-03-31T00:00Z.
 */
import {
  buildDoraFigures,
  computeMedian,
  describeWindow,
  measureChangeFailureRate,
  measureDeploymentFrequency,
  measureLeadTime,
  measureTimeToRestore,
  pairIncidents,
  type DoraIncident,
  type DoraPublication,
  type DoraServiceEvent,
  type DoraWindow,
} from '../../src/backend/dora';

const H = 3_600_000;
const start = Date.parse('2026-03-01T00:00:00Z');
const window: DoraWindow = { from: start, to: start + 30 * 24 * H, label: '30d' };
/** `day` 1..30, `hour` 0..23: a time inside the window. */
const at = (day: number, hour = 0) => start + (day - 1) * 24 * H + hour * H;

const PROD = 'https://prod/auth';
const STAGING = 'https://staging/auth';
const image = (tag: string, digest = tag.replace(/\./g, '').padEnd(64, '0')) =>
  `pkg:oci/auth@sha256%3A${digest}?repository_url=ghcr.io/acme/auth&tag=${tag}`;
const imageByTag = (tag: string) => `pkg:oci/auth@${tag}?repository_url=ghcr.io/acme/auth`;

let sequence = 0;
function service(predicate: string, time: number, artifact = image('1.0.0'), environment: string | null = PROD) {
  return { key: `s${++sequence}`, predicate, time, environment, artifactIds: [artifact] } satisfies DoraServiceEvent;
}
function published(purl: string, time: number): DoraPublication {
  return { key: `p${++sequence}`, purl, time };
}
function incident(predicate: string, subjectId: string | null, time: number, environment: string | null = PROD) {
  return { key: `i${++sequence}`, predicate, subjectId, time, environment } satisfies DoraIncident;
}

describe('deployment frequency: deployed and upgraded per day over the whole window', () => {
  it.each([
    {
      name: 'three deployments in 30 days is 0.1 a day',
      services: [service('deployed', at(2)), service('upgraded', at(10)), service('upgraded', at(20))],
      expected: { perDay: 0.1, deployments: 3, days: 30 },
    },
    {
      name: 'rollbacks and removals do not count as deployments',
      services: [service('upgraded', at(2)), service('rolledback', at(3)), service('removed', at(4))],
      expected: { perDay: 1 / 30, deployments: 1, days: 30 },
    },
    {
      name: 'deployments before the window do not count',
      services: [service('deployed', start - 2 * H), service('upgraded', at(5))],
      expected: { perDay: 1 / 30, deployments: 1, days: 30 },
    },
    {
      name: 'no deployment in the window says what is missing',
      services: [service('deployed', start - 2 * H), service('rolledback', at(3))],
      expected: { missing: 'no service.deployed or service.upgraded event for this app in the last 30 days' },
    },
  ])('$name', ({ services, expected }) => {
    expect(measureDeploymentFrequency(services, window)).toEqual(expected);
  });

  it('names a window of hours in its sentence', () => {
    const hours: DoraWindow = { from: at(30, 12), to: at(31), label: '12h' };
    expect(measureDeploymentFrequency([], hours)).toEqual({
      missing: 'no service.deployed or service.upgraded event for this app in the last 12 hours',
    });
  });
});

describe('lead time: deployed minus the latest earlier artifact.published of what it deployed (p50)', () => {
  it.each([
    {
      name: 'the same purl published 2 h before the deployment is 2 h',
      services: [service('upgraded', at(5, 12), image('1.1.0'))],
      publications: [published(image('1.1.0'), at(5, 10))],
      expected: { p50Seconds: 2 * 3600, samples: 1, deployments: 1 },
    },
    {
      name: 'a digest published with its tag matches a deployment naming only the tag',
      services: [service('upgraded', at(5, 12), imageByTag('1.1.0'))],
      publications: [published(image('1.1.0'), at(5, 11))],
      expected: { p50Seconds: 3600, samples: 1, deployments: 1 },
    },
    {
      name: 'the latest publication before the deployment counts, not an earlier one or a later one',
      services: [service('upgraded', at(5, 12), image('1.1.0'))],
      publications: [
        published(image('1.1.0'), at(4)),
        published(image('1.1.0'), at(5, 9)),
        published(image('1.1.0'), at(5, 13)),
      ],
      expected: { p50Seconds: 3 * 3600, samples: 1, deployments: 1 },
    },
    {
      name: 'another version of the package is not what was deployed',
      services: [service('upgraded', at(5, 12), image('1.1.0'))],
      publications: [published(image('1.2.0'), at(5, 10)), published(image('1.1.0'), at(5, 6))],
      expected: { p50Seconds: 6 * 3600, samples: 1, deployments: 1 },
    },
    {
      name: 'the median of three deployments is the middle one; a deployment without a publication is left out',
      services: [
        service('deployed', at(2, 5), image('1.0.0')),
        service('upgraded', at(3, 5), image('1.1.0')),
        service('upgraded', at(4, 5), image('1.2.0')),
        service('upgraded', at(6, 5), image('9.9.9')),
      ],
      publications: [
        published(image('1.0.0'), at(2, 4)),
        published(image('1.1.0'), at(3, 0)),
        published(image('1.2.0'), at(4, 2)),
      ],
      expected: { p50Seconds: 3 * 3600, samples: 3, deployments: 4 },
    },
    {
      name: 'a rollback is not a deployment of a change',
      services: [service('rolledback', at(5, 12), image('1.0.0'))],
      publications: [published(image('1.0.0'), at(1))],
      expected: {
        missing: 'no service.deployed or service.upgraded event for this app in the last 30 days to measure from',
      },
    },
    {
      name: 'no publication at all says none was received',
      services: [service('upgraded', at(5, 12), image('1.1.0'))],
      publications: [],
      expected: { missing: 'no artifact.published event was received for this app' },
    },
    {
      name: 'publications of other artifacts say none matches what this app deployed',
      services: [service('upgraded', at(5, 12), image('1.1.0'))],
      publications: [published('pkg:oci/portal@3.0.0', at(5, 10))],
      expected: { missing: 'no artifact.published event for the artifacts this app deployed' },
    },
  ])('$name', ({ services, publications, expected }) => {
    expect(measureLeadTime(services, publications, window)).toEqual(expected);
  });

  it('matches any artifact the sync deployed, not only the first', () => {
    const chartAndImage = {
      ...service('upgraded', at(5, 12)),
      artifactIds: ['pkg:helm/auth@2.0.0', image('1.1.0')],
    };
    expect(measureLeadTime([chartAndImage], [published(image('1.1.0'), at(5, 11))], window)).toMatchObject({
      p50Seconds: 3600,
    });
  });
});

describe('the 13 weekly figures over one long history (the trends measure the same lists week by week)', () => {
  const week = 7 * 24 * H;
  const weeks = Array.from({ length: 13 }, (_, index) => ({
    from: start + index * week,
    to: start + (index + 1) * week - 1,
    label: `week ${index}`,
  }));
  // 13 weeks of a release every 6 h: each published 1–5 h before its deployment, every fifth republished after it.
  const releases = Array.from({ length: 13 * 28 }, (_, index) => ({
    tag: `1.${index}.0`,
    time: start + index * 6 * H,
  }));
  const services = releases.map(({ tag, time }, index) =>
    service(index % 7 === 3 ? 'rolledback' : 'upgraded', time + 5 * H, image(tag), index % 2 ? PROD : STAGING),
  );
  const publications = releases.flatMap(({ tag, time }, index) => [
    published(image(tag), time + (index % 5) * H),
    ...(index % 5 === 0 ? [published(image(tag), time + 6 * H)] : []),
  ]);
  const incidents = releases
    .filter((_, index) => index % 9 === 0)
    .map(({ time }, index) => incident('detected', `alert/${index}`, time + 5.5 * H, index % 3 ? PROD : null));

  it('gives each week the figures it gets measured on its own', () => {
    for (const window of weeks) {
      // A fresh copy of the lists per week: nothing learnt from another week's measurement.
      expect(measureLeadTime(services, publications, window)).toEqual(
        measureLeadTime([...services], [...publications], window),
      );
      expect(measureChangeFailureRate(services, incidents, window)).toEqual(
        measureChangeFailureRate([...services], [...incidents], window),
      );
    }
  });

  it('measures each deployment from the publication before it, not the republication after it, in every week', () => {
    for (const [index, window] of weeks.entries()) {
      const upgrades = services.slice(index * 28, (index + 1) * 28).filter((event) => event.predicate === 'upgraded');
      // Published 0–4 h after the release started and deployed at 5 h: each upgrade has a sample.
      expect(measureLeadTime(services, publications, window)).toMatchObject({
        samples: upgrades.length,
        deployments: upgrades.length,
      });
    }
    // Week 0: 24 upgrades (4 of the 28 are rollbacks) measured 5, 4, 3, 2 or 1 h; the median is 3 h.
    expect(measureLeadTime(services, publications, weeks[0]!)).toEqual({
      p50Seconds: 3 * 3600,
      samples: 24,
      deployments: 24,
    });
  });
});

describe('change failure rate: deployments rolled back or followed by an incident before the next deployment', () => {
  it.each([
    {
      name: 'a release rolled back after an incident is one failure, not two',
      // upgraded 1.1 ─ incident.detected ─ rolledback to 1.0
      services: [service('upgraded', at(2)), service('upgraded', at(5)), service('rolledback', at(5, 3))],
      incidents: [incident('detected', 'alert/auth', at(5, 1))],
      expected: { rate: 0.5, failed: 1, deployments: 2, rolledBack: 1, followedByIncident: 1 },
    },
    {
      name: 'an incident after the next deployment blames that one, not the earlier one',
      services: [service('upgraded', at(2)), service('upgraded', at(5))],
      incidents: [incident('detected', 'alert/auth', at(6))],
      expected: { rate: 0.5, failed: 1, deployments: 2, rolledBack: 0, followedByIncident: 1 },
    },
    {
      name: 'an incident in another environment does not blame this one',
      services: [service('upgraded', at(2), image('1.0.0'), PROD), service('upgraded', at(3), image('1.0.0'), STAGING)],
      incidents: [incident('detected', 'alert/auth', at(4), STAGING)],
      expected: { rate: 0.5, failed: 1, deployments: 2, rolledBack: 0, followedByIncident: 1 },
    },
    {
      name: 'an incident that names no environment applies to the app',
      services: [service('upgraded', at(2))],
      incidents: [incident('detected', 'alert/auth', at(3), null)],
      expected: { rate: 1, failed: 1, deployments: 1, rolledBack: 0, followedByIncident: 1 },
    },
    {
      name: 'a resolution is not a failure',
      services: [service('upgraded', at(2))],
      incidents: [incident('detected', 'alert/auth', at(1)), incident('resolved', 'alert/auth', at(3))],
      expected: { rate: 0, failed: 0, deployments: 1, rolledBack: 0, followedByIncident: 0 },
    },
  ])('$name', ({ services, incidents, expected }) => {
    expect(measureChangeFailureRate(services, incidents, window)).toEqual(expected);
  });

  it('notes that only rollbacks count when no incident was ever received', () => {
    expect(measureChangeFailureRate([service('upgraded', at(2)), service('rolledback', at(3))], [], window)).toEqual({
      rate: 1,
      failed: 1,
      deployments: 1,
      rolledBack: 1,
      followedByIncident: 0,
      note: 'no incident.detected event was received for this app, so only rollbacks count as failures',
    });
  });

  it('says what is missing when the window holds no deployment', () => {
    expect(measureChangeFailureRate([service('rolledback', at(3))], [], window)).toEqual({
      missing: 'no service.deployed or service.upgraded event for this app in the last 30 days',
    });
  });
});

describe('time to restore: incident.resolved minus incident.detected with the same subject id (p50)', () => {
  it.each([
    {
      name: 'one incident resolved after 90 minutes',
      incidents: [incident('detected', 'a', at(3, 1)), incident('resolved', 'a', at(3, 2.5))],
      expected: { p50Seconds: 5400, samples: 1 },
    },
    {
      name: 'incidents are paired by subject id, not by order',
      incidents: [
        incident('detected', 'a', at(3, 1)),
        incident('detected', 'b', at(3, 2)),
        incident('resolved', 'b', at(3, 3)),
        incident('resolved', 'a', at(3, 5)),
      ],
      expected: { p50Seconds: (3600 + 4 * 3600) / 2, samples: 2 },
    },
    {
      name: 'an alert that fires again under the same subject id is a second incident',
      incidents: [
        incident('detected', 'a', at(3, 1)),
        incident('resolved', 'a', at(3, 2)),
        incident('detected', 'a', at(4, 1)),
        incident('detected', 'a', at(4, 2)),
        incident('resolved', 'a', at(4, 4)),
      ],
      expected: { p50Seconds: (3600 + 3 * 3600) / 2, samples: 2 },
    },
    {
      name: 'an incident detected before the window and resolved in it counts',
      incidents: [incident('detected', 'a', start - 2 * H), incident('resolved', 'a', start + H)],
      expected: { p50Seconds: 3 * 3600, samples: 1 },
    },
    {
      name: 'no incident at all says no detection was received',
      incidents: [],
      expected: { missing: 'no incident.detected event for this app in the last 30 days' },
    },
    {
      name: 'an open incident says no resolution was received',
      incidents: [incident('detected', 'a', at(3))],
      expected: { missing: 'no incident.resolved event with the subject id of a detected incident' },
    },
    {
      name: 'a resolution under another subject id does not close the incident',
      incidents: [incident('detected', 'a', at(3)), incident('resolved', 'a-resolved', at(4))],
      expected: { missing: 'no incident.resolved event with the subject id of a detected incident' },
    },
  ])('$name', ({ incidents, expected }) => {
    expect(measureTimeToRestore(incidents, window)).toEqual(expected);
  });
});

describe('open incidents', () => {
  it('lists detections no resolution closed, oldest first', () => {
    const { open } = pairIncidents([
      incident('detected', 'b', at(5)),
      incident('detected', 'a', at(3)),
      incident('resolved', 'c', at(4)),
      incident('detected', 'c', at(6)),
      incident('resolved', 'c', at(7)),
    ]);
    expect(open.map((item) => item.subjectId)).toEqual(['a', 'b']);
  });
});

describe('helpers', () => {
  it.each([
    { values: [3], expected: 3 },
    { values: [5, 1, 3], expected: 3 },
    { values: [4, 1, 3, 2], expected: 2.5 },
  ])('the median of $values is $expected', ({ values, expected }) => {
    expect(computeMedian(values)).toBe(expected);
  });

  it.each([
    { label: '30d', expected: 'the last 30 days' },
    { label: '1d', expected: 'the last day' },
    { label: '1h', expected: 'the last hour' },
    { label: '12h', expected: 'the last 12 hours' },
  ])('names the window $label "$expected"', ({ label, expected }) => {
    expect(describeWindow(label)).toBe(expected);
  });
});

it('builds all four figures from one input', () => {
  const figures = buildDoraFigures({
    window,
    services: [service('upgraded', at(5, 12), image('1.1.0')), service('rolledback', at(6))],
    publications: [published(image('1.1.0'), at(5, 11))],
    incidents: [incident('detected', 'a', at(5, 20)), incident('resolved', 'a', at(6, 1))],
  });
  expect(figures).toEqual({
    deploymentFrequency: { perDay: 1 / 30, deployments: 1, days: 30 },
    leadTime: { p50Seconds: 3600, samples: 1, deployments: 1 },
    changeFailureRate: { rate: 1, failed: 1, deployments: 1, rolledBack: 1, followedByIncident: 1 },
    timeToRestore: { p50Seconds: 5 * 3600, samples: 1 },
  });
});
