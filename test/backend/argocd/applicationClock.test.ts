import { type Application, compareApplicationStates } from '../../../src/backend/argocd';
import { patchApp, readCapturedNotifications } from './fixtures';

const byFile = (file: string) => readCapturedNotifications().find((item) => item.file === file)!.body.app;

describe('the Application’s own clock', () => {
  it('finds the captured InvalidSpecError state older than the app’s deletion, by resourceVersion', () => {
    // Posted in file order, 000 (rv 70734151) comes after 022 (rv 70747884) on a second pass.
    expect(compareApplicationStates(byFile('000_cli_template.json'), byFile('022_remove_podinfo_2_1.json'))).toEqual({
      older: true,
      reason: 'metadata.resourceVersion 70734151 < 70747884',
    });
    expect(compareApplicationStates(byFile('022_remove_podinfo_2_1.json'), byFile('000_cli_template.json'))).toEqual({
      older: false,
    });
  });

  it('does not call the same state older than itself', () => {
    const app = byFile('010_sync_podinfo_1_4.json');
    expect(compareApplicationStates(app, structuredClone(app)).older).toBe(false);
  });

  it('falls back to the operation’s and status times when a side has no resourceVersion', () => {
    const running = patchApp(byFile('009_sync_podinfo_1_3.json'), { metadata: { resourceVersion: null } });
    const succeeded = byFile('010_sync_podinfo_1_4.json');
    // Same operation start; the running state has no finishedAt, so reconciledAt decides.
    expect(compareApplicationStates(running, succeeded)).toEqual({
      older: true,
      reason: 'status.reconciledAt 2025-10-02T16:21:00.000Z < 2025-10-02T16:21:03.000Z',
    });
    expect(compareApplicationStates(succeeded, running).older).toBe(false);
  });

  it('ignores a resourceVersion that is not a decimal number', () => {
    const a = patchApp(byFile('017_sync_podinfo_3_4.json'), { metadata: { resourceVersion: 'opaque-1' } });
    const b = patchApp(byFile('012_sync_podinfo_2_2.json'), { metadata: { resourceVersion: 'opaque-2' } });
    expect(compareApplicationStates(b, a)).toEqual({
      older: true,
      reason: 'status.operationState.startedAt 2025-10-02T16:21:00.000Z < 2025-10-02T16:53:19.000Z',
    });
  });

  it('decides nothing when the two states share no time', () => {
    const bare: Application = { metadata: { name: 'x', uid: 'u' } };
    expect(compareApplicationStates(bare, byFile('010_sync_podinfo_1_4.json')).older).toBe(false);
  });
});
