import { decideChainHorizon, NEAR_HORIZON_MS } from '../../src/backend/chains/decideChainHorizon';

const DAY = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');
const horizon = now.getTime() - 90 * DAY;

describe('decideChainHorizon: was a chain cut where retention removed its earlier events', () => {
  it('says nothing when retention is off, since no event is ever removed', () => {
    expect(decideChainHorizon({ now, retentionDays: 0, danglingLinks: [] })).toBeUndefined();
  });

  it('says the chain is whole, with the horizon, when no link dangles', () => {
    expect(decideChainHorizon({ now, retentionDays: 90, danglingLinks: [] })).toEqual({
      retentionDays: 90,
      before: '2026-03-03T00:00:00.000Z',
      cut: false,
      missingLinks: 0,
    });
  });

  it('counts a link from an event just after the horizon to an event no longer stored', () => {
    const decision = decideChainHorizon({
      now,
      retentionDays: 90,
      danglingLinks: [{ contextId: 'change-1', linkedFromTime: horizon + DAY }],
    });
    expect(decision).toMatchObject({ cut: true, missingLinks: 1 });
  });

  it('counts an event kept past the horizon for work in flight as near it', () => {
    const decision = decideChainHorizon({
      now,
      retentionDays: 90,
      danglingLinks: [{ contextId: 'change-1', linkedFromTime: horizon - DAY }],
    });
    expect(decision).toMatchObject({ cut: true, missingLinks: 1 });
  });

  it('does not blame retention for a recent event linking to one that was never posted', () => {
    const decision = decideChainHorizon({
      now,
      retentionDays: 90,
      danglingLinks: [{ contextId: 'never-posted', linkedFromTime: horizon + NEAR_HORIZON_MS + DAY }],
    });
    expect(decision).toMatchObject({ cut: false, missingLinks: 0 });
  });

  it('counts each missing event once, however many chain events link to it', () => {
    const decision = decideChainHorizon({
      now,
      retentionDays: 30,
      danglingLinks: [
        { contextId: 'build-1', linkedFromTime: now.getTime() - 29 * DAY },
        { contextId: 'build-1', linkedFromTime: now.getTime() - 28 * DAY },
        { contextId: 'change-1', linkedFromTime: now.getTime() - 29 * DAY },
      ],
    });
    expect(decision).toMatchObject({ retentionDays: 30, cut: true, missingLinks: 2 });
  });
});
