// One step of a report: the users of an id range, their sources, and the alignment rules, evaluated and written as
// report rows in one statement on the database (see alignment-status.ts for why the rules run there). The
// statements are db/stores/alignment-store.ts's; the rules they evaluate are alignment-status.ts's.
import type { Database, Transaction } from '../../db/connect.ts';
import { type AlignmentFacts, alignmentStore, type ClassifyRange, type UserRange } from '../../db/stores/alignment-store.ts';
import { GUID_PATTERN, outcomeSql, ruleSql, signInErrorSql } from './alignment-status.ts';

export type { AlignmentFacts, UserRange };
export type ClassifyOptions = ClassifyRange;

const alignment = alignmentStore({ guidPattern: GUID_PATTERN, rule: ruleSql, signInError: signInErrorSql, outcome: outcomeSql });

/** Every user, in id order, cut into ranges of `size` users. */
export function userRanges(db: Database, size: number): Promise<UserRange[]> {
  return alignment.userRanges(db, size);
}

/** Objectids (lower case) that more than one account claims, through its auth data or any source. */
export function duplicateObjectIds(db: Database): Promise<string[]> {
  return alignment.duplicateObjectIds(db);
}

/** Writes the range's report rows; answers how many rows got each status. */
export function classifyUsers(db: Database, options: ClassifyOptions): Promise<Map<string, number>> {
  return alignment.classifyRange(db, options);
}

/**
 * The alignment statuses of some users (an incremental sync's touched accounts) by the report's own rules, read in
 * `db` (the sync's transaction, so they see its writes); nothing is written. Answers how many got each status.
 */
export function classifySomeUsers(db: Database, userIds: string[], facts: AlignmentFacts): Promise<Record<string, number>> {
  return alignment.classifyUsers(db, userIds, facts);
}

/** The snapshot every range of a report reads, exported by `holder` (held open until every range is written). */
export function exportSnapshot(holder: Transaction): Promise<string> {
  return alignment.exportSnapshot(holder);
}
