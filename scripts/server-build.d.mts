/** See server-build.mjs. */
export function builtServer(options?: { root?: string }): Promise<string | undefined>;
