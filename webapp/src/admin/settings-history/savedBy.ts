import { actorLabel } from '../audit/sentences.ts';

/** Who saved a version or started a report, in the audit log's words (an admin token by its name). */
export function savedByLabel(actor: string, tokenName: string | null): string {
  return actorLabel({ actor, actor_name: tokenName });
}
