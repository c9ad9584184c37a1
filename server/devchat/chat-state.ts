// What the REST API, the WebSocket hub and the control API share: the users and sessions, the configuration, the
// license and the build this stand-in claims to be.
import { defaultConfig, type JsonObject, mergePatch, normalisePluginKeys, readPath, sanitizeConfig } from './chat-config.ts';
import { type ChatLicense, clientLicense, type LicenseInput, licenseFrom, sanitizedClientLicense } from './chat-license.ts';
import { clientConfig, clientConfigHash, type ServerVersion } from './client-config.ts';
import { isSystemAdmin, type ChatSession } from './model.ts';
import { ChatStore } from './store.ts';

export class ChatState {
  readonly store = new ChatStore();
  private config: JsonObject = defaultConfig();
  private license: ChatLicense | null = null;

  constructor(
    readonly build: ServerVersion,
    private readonly secretPluginKeys: Record<string, string[]>,
  ) {}

  patchConfig(patch: JsonObject): void {
    this.config = normalisePluginKeys(mergePatch(this.config, normalisePluginKeys(patch)));
  }

  setLicense(input: LicenseInput): void {
    this.license = licenseFrom(input);
  }

  sanitizedConfig(): JsonObject {
    return sanitizeConfig(this.config, this.secretPluginKeys);
  }

  developerMode(): boolean {
    return readPath(this.config, 'ServiceSettings', 'EnableDeveloper') === true;
  }

  clientConfig(full: boolean): Record<string, string> {
    return clientConfig(this.config, this.license, this.build, full);
  }

  /** read_license_information is a system admin permission: others get the sanitised license. */
  clientLicenseFor(session: ChatSession | undefined): Record<string, string> {
    return session && isSystemAdmin(session.roles) ? clientLicense(this.license) : sanitizedClientLicense(this.license);
  }

  sanitizedClientLicense(): Record<string, string> {
    return sanitizedClientLicense(this.license);
  }

  /** X-Version-Id (web/handlers.go): "<version>.<build number>.<client config hash>.<licensed>". */
  versionId(): string {
    return `${this.build.version}.${this.build.buildNumber}.${clientConfigHash(this.clientConfig(false))}.${this.license !== null}`;
  }

  /** hello's server_version (platform/web_conn.go createHelloMessage): the last part says "enterprise build". */
  helloServerVersion(): string {
    return `${this.build.version}.${this.build.buildNumber}.${clientConfigHash(this.clientConfig(false))}.true`;
  }
}
