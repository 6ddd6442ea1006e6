/**
 * `npm run argocd-config [-- --url <backend URL>] [--instance <name>] [--namespace <argocd namespace>]`:
 * prints the argocd-notifications-cm entries that feed this backend
 * (buildNotificationsConfig.ts). Exits 2 with a message on a bad flag.
 */
import { instancePattern } from '../config';
import { type NotificationsConfigOptions, buildNotificationsConfig } from './buildNotificationsConfig';

export const defaultPrintOptions: NotificationsConfigOptions = {
  backendUrl: 'http://cdevents-backend.argocd.svc.cluster.local:8080',
  instance: 'default',
  namespace: 'argocd',
};

const usage = `usage: npm run argocd-config -- [--url <backend URL>] [--instance <name>] [--namespace <argocd namespace>]
  --url        the backend as Argo CD's notification controller reaches it (default ${defaultPrintOptions.backendUrl})
  --instance   this Argo CD instance's name in the backend (default ${defaultPrintOptions.instance})
  --namespace  the namespace Argo CD runs in (default ${defaultPrintOptions.namespace})`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads `--flag value` and `--flag=value`. @throws UsageError naming the bad flag or value. */
export function parsePrintConfigArgs(args: readonly string[]): NotificationsConfigOptions | 'help' {
  const options = { ...defaultPrintOptions };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--(url|instance|namespace)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument "${arg}"`);
    const value = match[2] ?? args[++index];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`);
    if (match[1] === 'url') {
      if (!/^https?:\/\/[^/]/.test(value)) throw new UsageError(`--url must be an http(s) URL, got "${value}"`);
      options.backendUrl = value;
    } else if (match[1] === 'instance') {
      if (!instancePattern.test(value)) {
        throw new UsageError(`--instance must be lower-case letters, digits and dashes (up to 63), got "${value}"`);
      }
      options.instance = value;
    } else {
      options.namespace = value;
    }
  }
  return options;
}

export function runPrintConfig(
  args: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  try {
    const options = parsePrintConfigArgs(args);
    out(options === 'help' ? usage : buildNotificationsConfig(options));
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n${usage}`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = runPrintConfig(
    process.argv.slice(2),
    (text) => process.stdout.write(`${text}\n`),
    (text) => process.stderr.write(`${text}\n`),
  );
}
