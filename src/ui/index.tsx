// Entry of the classic-script bundle Argo CD loads through /extensions.js: register, nothing else.
import { registerExtension } from './registerExtension';

registerExtension(
  typeof window === 'undefined' ? undefined : (window as unknown as Parameters<typeof registerExtension>[0]),
);
