/**
 * The scale bench's stories (bench/scaleStories.ts) are valid CDEvents 0.4.1, checked by the
 * model's validator against the spec's own schemas: the bench measures what tools really send, not
 * the slower path of events stored with their problems.
 */
import { validateEvent } from '../../src/cdevents';
import { APPS, buildStory, STORY_EVENTS } from '../../bench/scaleStories';

describe('the scale bench stories', () => {
  // A first release (deployed), a later one (upgraded), and each with an incident and rollback.
  it.each([1, APPS + 1, 10, APPS + 10])('story %i is ten valid CDEvents 0.4.1', (story) => {
    const events = buildStory(story);
    expect(events).toHaveLength(STORY_EVENTS);
    const verdicts = events.map((event) => {
      const verdict = validateEvent(event);
      return { type: (event as { context: { type: string } }).context.type, verdict };
    });
    expect(verdicts.filter(({ verdict }) => verdict.status !== 'valid')).toEqual([]);
  });
});
