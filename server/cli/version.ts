// `mamgate --version`: the version in package.json, imported once (the built service has it inlined by esbuild).
import packageJson from '../../package.json' with { type: 'json' };

export const CLI_VERSION: string = packageJson.version;
