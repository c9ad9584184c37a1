// mamgate's version (`mamgate --version`, the API document): package.json's, imported once (the built service has
// it inlined by esbuild).
import packageJson from '../package.json' with { type: 'json' };

export const MAMGATE_VERSION: string = packageJson.version;
