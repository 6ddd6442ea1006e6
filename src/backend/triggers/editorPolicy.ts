/**
 * Who may change triggers: CDEVENTS_TRIGGER_EDITORS, comma-separated
 * `user:<name>` and `group:<name>` entries, checked against the Argocd-Username
 * and Argocd-User-Groups headers Argo CD's proxy sets. Empty means nobody.
 * Reading needs nothing beyond what the proxy already checked. Pure.
 */

export interface EditorPolicy {
  users: string[];
  groups: string[];
}

export interface Editor {
  username: string | undefined;
  groups: string[];
}

export type PolicyDecision = { allowed: true; reason: string } | { allowed: false; reason: string };

/** @throws Error naming the first entry that is not `user:<name>` or `group:<name>`. */
export function parseEditorPolicy(value: string | undefined): EditorPolicy {
  const policy: EditorPolicy = { users: [], groups: [] };
  for (const entry of (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)) {
    const match = /^(user|group):(.+)$/.exec(entry);
    if (!match || match[2]!.trim() === '') {
      throw new Error(`CDEVENTS_TRIGGER_EDITORS entries must be user:<name> or group:<name>, got "${entry}"`);
    }
    (match[1] === 'user' ? policy.users : policy.groups).push(match[2]!.trim());
  }
  return policy;
}

export function decideEditAccess(policy: EditorPolicy, editor: Editor): PolicyDecision {
  if (policy.users.length === 0 && policy.groups.length === 0) {
    return { allowed: false, reason: 'nobody may change triggers: CDEVENTS_TRIGGER_EDITORS is empty' };
  }
  if (editor.username && policy.users.includes(editor.username)) {
    return { allowed: true, reason: `user ${editor.username} is listed in CDEVENTS_TRIGGER_EDITORS` };
  }
  const group = editor.groups.find((candidate) => policy.groups.includes(candidate));
  if (group) return { allowed: true, reason: `group ${group} is listed in CDEVENTS_TRIGGER_EDITORS` };
  const who = editor.username ? `user ${editor.username}` : 'an anonymous user';
  const groups = editor.groups.length > 0 ? ` (groups ${editor.groups.join(', ')})` : ' (no groups)';
  return {
    allowed: false,
    reason: `${who}${groups} may not change triggers: neither is listed in the policy CDEVENTS_TRIGGER_EDITORS`,
  };
}
