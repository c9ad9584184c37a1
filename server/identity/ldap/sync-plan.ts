// Whether a sync may read only what changed since the last good sync's watermark, or must read the whole directory,
// and the watermark it leaves. The rules, in order: a full pass asked for; no watermark; settings that shape the
// read changed; another kind of directory, another server or naming context; on AD another invocationId or a USN
// that went backwards; on OpenLDAP a contextCSN that went backwards; a full pass that read entries without their change
// mark (an access rule hides it: a filter on it would miss them); a watermark too old, or a database clock that went
// backwards. Any of them means the stored entries may not be the directory's, so a full pass runs and the
// run says why (fallback_reason).
import { createHash } from 'node:crypto';
import type { DirectoryConfig, DirectoryRecord } from './directory-client.ts';
import { changeAttributeOf, type DirectoryKind, type ServerState } from './server-state.ts';

export type SyncMode = 'full' | 'incremental';

/** What a good sync leaves for the next one (stored on its run row). */
export interface Watermark {
  kind: DirectoryKind;
  server: string;
  naming_context: string;
  /** Digest of the settings the read depends on: another BaseDn, filter, attribute or tenant is another read. */
  settings: string;
  /**
   * Where the next incremental read starts (inclusive): on OpenLDAP an entryCSN, at or before the first change
   * this read may not have seen; on AD a USN, highestCommittedUSN before this read + 1.
   */
  since: string;
  /** OpenLDAP: the highest entryCSN seen so far. */
  max_seen: string | null;
  /**
   * How many entries the read that left it got without their change mark (entryCSN or uSNChanged): the service
   * account may not read it, and a filter on it would then miss those entries. Absent on older watermarks (0).
   */
  unmarked?: number;
  context_csn: string[];
  invocation_id: string | null;
  highest_committed_usn: string | null;
  /** When the read that left it started (database clock, ISO), and when the last full pass started. */
  taken_at: string;
  full_at: string;
}

export type SyncPlan = { kind: 'full'; reason: string | null } | { kind: 'incremental'; since: string; previous: Watermark };

/** A watermark older than this is a gap: changes may have been missed (e.g. AD's tombstones expire; clocks step). */
export const MAX_WATERMARK_AGE_MS = 7 * 24 * 3600_000;
/** How far the database clock may seem to go back between two syncs (nodes' commits interleave) before it is a gap. */
const CLOCK_BACK_MARGIN_MS = 60_000;

export function settingsDigest(config: DirectoryConfig, tenantId: string): string {
  // Not the URL: another server behind another URL is told by the server checks, which say so.
  const parts = [config.baseDn, config.userFilter, config.idAttribute, config.emailAttribute, config.usernameAttribute, tenantId];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

const full = (reason: string | null): SyncPlan => ({ kind: 'full', reason });

/** An entryCSN as OpenLDAP writes it: time with microseconds, change count, server id, modification number. */
const CSN = /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/;
const USN = /^\d{1,20}$/;
/** What watermarks of an earlier version started from on OpenLDAP: a modifyTimestamp (one-second resolution). */
const MODIFY_TIMESTAMP = /^\d{14}Z$/;

/** A watermark's `since` as it goes into a filter: an entryCSN on OpenLDAP, a USN on AD — nothing else. */
function isWatermarkSince(kind: DirectoryKind, since: unknown): since is string {
  return typeof since === 'string' && (kind === 'active-directory' ? USN : CSN).test(since);
}

/** "20261207022142.629610Z#000000#000#000000" → server id "000" and the time part, comparable as text. */
function csnParts(csn: string): { sid: string; stamp: string } {
  const [stamp = '', , sid = ''] = csn.split('#');
  return { sid, stamp: `${stamp}#${csn.split('#')[1] ?? ''}` };
}

function contextCsnProblem(before: string[], now: string[]): string | null {
  if (before.length === 0) return null; // no syncprov when the watermark was taken: nothing to compare
  if (now.length === 0) return 'the contextCSN is gone (the database was reset, or syncprov removed)';
  const current = new Map(now.map((csn) => [csnParts(csn).sid, csnParts(csn).stamp]));
  for (const csn of before) {
    const { sid, stamp } = csnParts(csn);
    const stampNow = current.get(sid);
    if (stampNow === undefined) return `the contextCSN of server id ${sid} is gone (restored, reset or another server)`;
    if (stampNow < stamp) return `the contextCSN of server id ${sid} went backwards (restored from a backup or reset)`;
  }
  return null;
}

function activeDirectoryProblem(previous: Watermark, state: ServerState): string | null {
  if (!state.invocationId) return "the domain controller's invocationId could not be read (dsServiceName)";
  if (previous.invocation_id !== state.invocationId) {
    return `the domain controller's invocationId changed (${previous.invocation_id} → ${state.invocationId}): restored, or another domain controller`;
  }
  if (!state.highestCommittedUsn || !/^\d+$/.test(state.highestCommittedUsn)) return 'the rootDSE gave no highestCommittedUSN';
  if (!previous.highest_committed_usn || BigInt(state.highestCommittedUsn) < BigInt(previous.highest_committed_usn)) {
    return `highestCommittedUSN went backwards (${previous.highest_committed_usn} → ${state.highestCommittedUsn})`;
  }
  return null;
}

export function planSync(requested: SyncMode, previous: Watermark | null, state: ServerState, settings: string, now: Date): SyncPlan {
  if (requested === 'full') return full(null);
  if (!previous) return full('no watermark yet (no good sync since incremental syncs began)');
  if (previous.kind === 'openldap' && MODIFY_TIMESTAMP.test(previous.since)) {
    return full('the watermark is from an earlier version (a modifyTimestamp, one-second resolution); this full pass leaves an entryCSN one');
  }
  if (!isWatermarkSince(previous.kind, previous.since)) return full('the stored watermark cannot be read (its starting point is not an entryCSN or a USN)');
  if (previous.settings !== settings) return full('the LDAP settings that shape the read (BaseDn, UserFilter, attributes or tenant) changed');
  if (previous.kind !== state.kind) return full(`the directory is now ${state.kind}; the watermark is from ${previous.kind}`);
  if (previous.server !== state.server) return full(`the watermark is from another server (${previous.server})`);
  if (previous.naming_context !== state.namingContext) {
    return full(`the naming context is now "${state.namingContext}"; the watermark is from "${previous.naming_context}"`);
  }
  const problem = state.kind === 'active-directory' ? activeDirectoryProblem(previous, state) : contextCsnProblem(previous.context_csn, state.contextCsn);
  if (problem) return full(problem);
  if ((previous.unmarked ?? 0) > 0) {
    const attribute = changeAttributeOf(state.kind);
    const entries = previous.unmarked === 1 ? '1 entry' : `${previous.unmarked} entries`;
    return full(`the last read got ${entries} without ${attribute}: grant the service account read access to ${attribute}, or changes to them go unseen`);
  }
  const age = now.getTime() - Date.parse(previous.taken_at);
  if (!(age <= MAX_WATERMARK_AGE_MS)) return full(`the watermark is older than ${MAX_WATERMARK_AGE_MS / 86_400_000} days (a gap)`);
  if (age < -CLOCK_BACK_MARGIN_MS) return full('the database clock went backwards since the watermark');
  return { kind: 'incremental', since: previous.since, previous };
}

// GeneralizedTime, as an entryCSN starts (UTC; fractions are accepted and dropped: the time math below is in whole seconds).
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,]\d+)?Z$/;

export function parseGeneralizedTime(value: string): number | null {
  const m = GENERALIZED_TIME.exec(value);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? null : ms;
}

export function formatGeneralizedTime(ms: number): string {
  return `${new Date(Math.max(0, Math.floor(ms / 1000) * 1000)).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** The lowest entryCSN of a time (whole seconds): every change made in that second or later is at or above it. */
export function csnAt(ms: number): string {
  return `${formatGeneralizedTime(ms).slice(0, 14)}.000000Z#000000#000#000000`;
}

/** The time part of an entryCSN, in ms (whole seconds), or null. */
const csnTime = (csn: string) => parseGeneralizedTime(csn.split('#')[0] ?? '');

/** What a read learns of the change marks, page by page: the highest entryCSN seen (they compare as text), and the entries without one. */
export interface MarksSeen {
  highest: string | null;
  unmarked: number;
}

export function noteMarks(records: DirectoryRecord[], seen: MarksSeen): MarksSeen {
  let { highest, unmarked } = seen;
  for (const record of records) {
    const mark = record.changeMark;
    if (mark === undefined) unmarked++;
    else if (CSN.test(mark) && (highest === null || mark > highest)) highest = mark;
  }
  return { highest, unmarked };
}

export interface ReadFacts {
  plan: SyncPlan;
  state: ServerState;
  settings: string;
  /** Database clock when the read started, and how long it took (ms, monotonic). */
  startedAt: Date;
  durationMs: number;
  /** The change marks of the entries read. */
  marks: MarksSeen;
}

/**
 * The watermark a good sync leaves. OpenLDAP: `since` is an entryCSN no change made during or after the read is
 * below. With syncprov, the contextCSN read before the search, as it is (the CSN of the last write then, the oldest of
 * the server ids, so a change another provider replicates late is not below it): the next read gets that one entry
 * again (>=), which merges as unchanged. Without syncprov, in whole seconds as a CSN: (1) every entry read was
 * changed before the read ended, so the highest entryCSN's time less the read's length (rounded up, and a second for
 * clocks) is before its start; (2) after an incremental read, the last `since` plus the time elapsed since that read
 * started (database clock, less a second), which lets the watermark move on when nothing changed. Without either (an
 * empty directory), the epoch.
 * AD: highestCommittedUSN before the read + 1: whatever commits during the read has a higher USN.
 */
export function nextWatermark(facts: ReadFacts): Watermark {
  const { plan, state } = facts;
  const previous = plan.kind === 'incremental' ? plan.previous : null;
  const base = {
    kind: state.kind,
    server: state.server,
    naming_context: state.namingContext,
    settings: facts.settings,
    context_csn: state.contextCsn,
    invocation_id: state.invocationId,
    highest_committed_usn: state.highestCommittedUsn,
    taken_at: facts.startedAt.toISOString(),
    full_at: previous?.full_at ?? facts.startedAt.toISOString(),
  };
  if (state.kind === 'active-directory') {
    return { ...base, since: String(BigInt(state.highestCommittedUsn ?? '0') + 1n), max_seen: null, unmarked: facts.marks.unmarked };
  }
  const maxSeen = [previous?.max_seen, facts.marks.highest].filter((csn): csn is string => typeof csn === 'string').sort().pop() ?? null;
  const previousSince = previous ? csnTime(previous.since) : null;
  const watermark = { ...base, max_seen: maxSeen, unmarked: facts.marks.unmarked };
  if (state.contextCsn.length > 0) {
    const readable = [previous?.since, [...state.contextCsn].sort()[0]].filter((csn): csn is string => csn !== undefined && CSN.test(csn));
    return { ...watermark, since: readable.sort().pop() ?? csnAt(0) }; // never moves back
  }
  const candidates: number[] = previousSince !== null ? [previousSince] : []; // never moves back
  const highestSeen = facts.marks.highest === null ? null : csnTime(facts.marks.highest);
  if (highestSeen !== null) candidates.push(highestSeen - Math.ceil(facts.durationMs / 1000) * 1000 - 1000);
  const elapsed = previous ? facts.startedAt.getTime() - Date.parse(previous.taken_at) : -1;
  if (previousSince !== null && elapsed >= 0) candidates.push(previousSince + Math.floor(elapsed / 1000) * 1000 - 1000);
  const since = candidates.length ? Math.max(...candidates) : 0;
  return { ...watermark, since: previous && previousSince === since ? previous.since : csnAt(since) };
}

/** The incremental read's filter: the user filter and the change attribute from the watermark on (inclusive). */
export function changedSinceFilter(userFilter: string, kind: DirectoryKind, since: string): string {
  // planSync never plans an incremental read from an unreadable watermark; this keeps the filter safe regardless.
  if (!isWatermarkSince(kind, since)) throw new Error('not a watermark');
  return `(&${userFilter}(${changeAttributeOf(kind)}>=${since}))`;
}

/**
 * True when the server says nothing at all was written since the watermark: the same contextCSN values (OpenLDAP
 * with syncprov: every write, deletions too, moves it), or the same highestCommittedUSN (AD). The read is skipped.
 */
export function nothingChanged(previous: Watermark, state: ServerState): boolean {
  if (state.kind === 'active-directory') return state.highestCommittedUsn !== null && state.highestCommittedUsn === previous.highest_committed_usn;
  return state.contextCsn.length > 0 && state.contextCsn.join(' ') === previous.context_csn.join(' ');
}
