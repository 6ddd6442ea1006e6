import { formatAbsoluteTime, formatDay, formatRelativeTime } from '../../src/ui/format/formatTime';

const now = Date.parse('2026-11-24T12:00:00Z');

describe('formatRelativeTime', () => {
  it.each([
    ['2026-11-24T11:59:58Z', 'just now'],
    ['2026-11-24T11:59:30Z', '30 seconds ago'],
    ['2026-11-24T11:59:00Z', '1 minute ago'],
    ['2026-11-24T09:00:00Z', '3 hours ago'],
    ['2026-11-22T12:00:00Z', '2 days ago'],
    ['2026-08-24T12:00:00Z', '3 months ago'],
    ['2024-11-24T12:00:00Z', '2 years ago'],
    ['2026-11-24T12:10:00Z', 'in 10 minutes'],
    ['not a time', ''],
  ])('%s reads "%s"', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });
});

describe('formatAbsoluteTime and formatDay', () => {
  it('give the same UTC text to everyone who opens a shared link', () => {
    expect(formatAbsoluteTime('2026-11-24T13:52:46.123+01:00')).toBe('2026-11-24 12:52:46 UTC');
    expect(formatDay('2026-11-24T23:30:00-02:00')).toBe('2026-11-25');
  });

  it('show an unparsable time as it came', () => {
    expect(formatAbsoluteTime('yesterday')).toBe('yesterday');
    expect(formatDay('yesterday')).toBe('Unknown day');
  });
});
