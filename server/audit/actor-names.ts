// Actors as the audit log names them, and the names pages show for them. An admin token acts as
// `admin-token:<id>`: the id stays stable when the token is renamed, and the name is looked up when shown.
import type { Database } from '../db/connect.ts';
import { adminTokenStore } from '../db/stores/admin-token-store.ts';

const ADMIN_TOKEN_ACTOR = 'admin-token:';

export function adminTokenActor(tokenId: string): string {
  return `${ADMIN_TOKEN_ACTOR}${tokenId}`;
}

/** `admin-token:<id>` actor names → the tokens' names, for pages that show who did something. */
export async function adminTokenNames(db: Database, actors: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set([...actors].filter((a) => a.startsWith(ADMIN_TOKEN_ACTOR)).map((a) => a.slice(ADMIN_TOKEN_ACTOR.length)))];
  const names = await adminTokenStore.namesOf(db, ids);
  return new Map([...names].map(([id, name]) => [adminTokenActor(id), name]));
}

/** The actor names of the admin tokens called `name`, for filtering the log by a token's name. */
export async function adminTokenActorsNamed(db: Database, name: string): Promise<string[]> {
  return (await adminTokenStore.idsNamed(db, name)).map(adminTokenActor);
}
