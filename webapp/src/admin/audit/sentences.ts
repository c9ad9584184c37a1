// The one place that says what an audit entry means: each action as a sentence with its fields. An action not
// listed here still reads as a sentence (actor, action, target, outcome), and its raw entry is one click away.
import { AUDIT_ACTIONS as ACTIONS, enrollmentReportAction } from '../../../../server/contract/audit-actions.ts';
import type { AuditItem } from '../../api/types.ts';
import { plural } from '../../shared/labels.ts';

/** Who acted, in words: an admin token by its name, the System Console admin by username, the service's parts. */
export function actorLabel(item: Pick<AuditItem, 'actor' | 'actor_name'>): string {
  const { actor } = item;
  if (actor.startsWith('admin-token:')) {
    return item.actor_name ? `Admin token “${item.actor_name}”` : `Admin token ${actor.slice('admin-token:'.length)}`;
  }
  if (actor.startsWith('chat-admin:')) return `System Console admin ${actor.slice('chat-admin:'.length)}`;
  if (actor.startsWith('cli:')) return `The command line (${actor.slice('cli:'.length)})`;
  const parts: Record<string, string> = {
    gate: 'The gate',
    mamgate: 'mamgate',
    'mamgate:graph': 'The Microsoft Graph check',
    schedule: 'The LDAP schedule',
    anonymous: 'A client',
    'mobile-session': 'A mobile client',
  };
  return parts[actor] ?? actor;
}

/** The user an entry is about: username (email), else their id; "a user" when the entry names none. */
export function userLabel(item: Pick<AuditItem, 'user'>): string {
  const user = item.user;
  if (!user) return 'a user';
  return user.username ? (user.email ? `${user.username} (${user.email})` : user.username) : `user ${user.id}`;
}

function text(details: Record<string, unknown>, key: string): string | null {
  const value = details[key];
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function count(details: Record<string, unknown>, key: string): number {
  const value = details[key];
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' ? value : 0;
}

function idOf(target: string | null, prefix: string): string {
  return target?.startsWith(prefix) ? target.slice(prefix.length) : (target ?? '');
}

/** "a, b, c and 2 more" */
function listed(values: unknown, most = 3): string {
  const all = Array.isArray(values) ? values.map(String) : [];
  if (all.length === 0) return 'nothing';
  const shown = all.slice(0, most).join(', ');
  return all.length > most ? `${shown} and ${all.length - most} more` : shown;
}

function refusal(d: Record<string, unknown>): string {
  const reason = text(d, 'reason');
  const id = text(d, 'error_id');
  return [reason, id ? `(${id})` : null].filter(Boolean).join(' ') || 'no reason recorded';
}

type Sentence = (item: AuditItem, d: Record<string, unknown>, who: { actor: string; user: string }) => string;

/** A sentence for every action of the contract (the enrollment reports have their own, enrollmentSentence). */
const SENTENCES: Record<(typeof ACTIONS)[keyof typeof ACTIONS], Sentence> = {
  'login.intune': (item, d, who) => {
    if (item.outcome !== 'success') return `A mobile sign-in through Intune was refused: ${refusal(d)}.`;
    const platform = text(d, 'platform');
    const replaced = count(d, 'replaced_sessions');
    return [
      `${who.user} signed in on a mobile device through Intune${platform ? ` (${platform})` : ''}`,
      d.user_created ? ', and the account was created' : '',
      `; session ${text(d, 'session_id') ?? 'unknown'}`,
      replaced > 0 ? `, ending ${plural(replaced, 'earlier session')} on the device` : '',
      '.',
    ].join('');
  },
  'saml.acs': (item, d, who) => {
    if (item.outcome !== 'success') return `A SAML sign-in was refused: ${refusal(d)}.`;
    return `${who.user} signed in with SAML (objectId ${text(d, 'object_id') ?? 'none'})${d.user_created ? ', and the account was created' : ''}.`;
  },
  'gate.refused': (item, d, who) => {
    const repeats = count(d, 'repeats_since_last_entry');
    return `The gate refused a request of ${who.user}${item.target ? ` (${item.target.replace(':', ' ')})` : ''}: ${text(d, 'error_id') ?? 'no reason recorded'}${repeats > 0 ? `, and ${plural(repeats, 'more request')} like it since the last entry` : ''}.`;
  },
  'gate.android_unprotected': (_item, d, who) => {
    const repeats = count(d, 'repeats_since_last_entry');
    return `The gate let ${who.user} through on Android without app protection (AndroidPolicy)${repeats > 0 ? `, and ${plural(repeats, 'more request')} since the last entry` : ''}.`;
  },
  'enrollment.verified': (_item, d, who) =>
    `Microsoft Graph confirmed the app protection of ${who.user}${text(d, 'app_id') ? ` (${text(d, 'app_id')}${text(d, 'platform') ? `, ${text(d, 'platform')}` : ''})` : ''}.`,
  'enrollment.evidence_lost': (_item, d, who) =>
    `${who.user} lost their Intune evidence (${text(d, 'cause') ?? 'unknown cause'}); their mobile sessions are being ended.`,
  'sessions.revoke': (_item, d, who) =>
    `${who.actor} ended ${plural(count(d, 'sessions'), 'session')} of ${who.user}${d.chat_server === 'queued' ? ' and asked the chat server to end the mobile sessions there' : ''}.`,
  'chat_sessions.revoke': (_item, d, who) =>
    `The chat server ended ${plural(count(d, 'sessions'), 'mobile session')} of ${who.user} (reason ${text(d, 'reason') ?? 'none'}, attempt ${count(d, 'attempts')}).`,
  'settings.save': (item, d, who) => {
    if (item.outcome !== 'success') return `${who.actor} tried to save the settings; refused: ${text(d, 'error_id') ?? ''} (${listed(d.fields, 2)}).`;
    const secrets = count(d, 'changed_secrets');
    return `${who.actor} saved settings version ${idOf(item.target, 'settings:v')}, changing ${listed(d.changed)}${secrets > 0 ? ` (${plural(secrets, 'secret')} among them)` : ''}.`;
  },
  'license.save': (_item, d, who) =>
    d.licensed === false ? `${who.actor} removed the license.` : `${who.actor} saved the license (SKU ${text(d, 'sku') ?? 'none'}).`,
  'report.identity.start': (item, _d, who) => `${who.actor} started identity-alignment report ${idOf(item.target, 'report:')}.`,
  'report.identity.cancel': (item, _d, who) => `${who.actor} cancelled identity-alignment report ${idOf(item.target, 'report:')}.`,
  'users.import': (_item, d, who) =>
    `${who.actor} imported ${count(d, 'imported')} of ${plural(count(d, 'total'), 'user')} from ${text(d, 'format') ?? 'a file'} (${count(d, 'skipped')} skipped, ${count(d, 'failed')} failed).`,
  'ldap.sync': (item, d, who) =>
    item.outcome === 'success'
      ? `${who.actor} synced the LDAP directory (run ${item.target ?? ''}): ${Object.entries(d).map(([k, v]) => `${k.replace(/_/g, ' ')} ${String(v)}`).join(', ') || 'no counts'}.`
      : `LDAP sync run ${item.target ?? ''} started by ${who.actor} failed: ${text(d, 'error_id') ?? 'unknown error'}.`,
  'admin_token.create': (item, _d, who) => `${who.actor} created admin token ${tokenName(item)}.`,
  'admin_token.revoke': (item, _d, who) => `${who.actor} revoked admin token ${tokenName(item)}.`,
};

function tokenName(item: AuditItem): string {
  const id = idOf(item.target, 'admin_token:');
  return item.target_name ? `“${item.target_name}” (${id})` : id;
}

function enrollmentSentence(item: AuditItem, d: Record<string, unknown>, who: { user: string }): string {
  const state = item.action.slice('enrollment.'.length);
  const cause = text(d, 'cause');
  const code = text(d, 'error_code');
  const ended = count(d, 'ended_sessions');
  return [
    `${who.user} reported Intune enrollment ${state}`,
    cause && cause !== 'none' ? `: cause ${cause}` : '',
    code ? ` (code ${code})` : '',
    d.source === 'client_report' ? `, taken as ${text(d, 'counted') ?? 'a report'}` : '',
    ended > 0 ? `; ${plural(ended, 'session')} ended` : '',
    '.',
  ].join('');
}

/** The entry as a sentence an operator reads. */
export function auditSentence(item: AuditItem): string {
  const d = item.details ?? {};
  const who = { actor: actorLabel(item), user: userLabel(item) };
  const sentence = (SENTENCES as Record<string, Sentence | undefined>)[item.action];
  if (sentence) return sentence(item, d, who);
  if (/^enrollment\.(enrolled|declined|failed)$/.test(item.action)) return enrollmentSentence(item, d, who);
  return `${who.actor}: ${item.action}${item.target ? ` on ${item.target}` : ''} (${item.outcome}).`;
}

/** Every action the service writes, for the filter's suggestions. */
export const AUDIT_ACTIONS = [...Object.values(ACTIONS), ...(['enrolled', 'declined', 'failed'] as const).map(enrollmentReportAction)].sort();
