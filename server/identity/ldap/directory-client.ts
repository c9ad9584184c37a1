// The LDAP directory as mamgate reads it: an ldapts client bound as the read-only service account, paged searches
// (pages of at most 1000, AD's default MaxPageSize), every value placed in a filter escaped, binary attributes read
// only through explicitBufferAttributes, and each failure turned into a catalogue AppError that names the server
// and the bind DN, never the password. reference/entra-saml-ldap.md §5 and §7 rule 12.
import { Client, type Entry, escapeFilter, FilterParser, ResultCodeError } from 'ldapts';
import { AppError } from '../../errors/app-error.ts';
import { LDAP_OBJECT_ID_ATTRIBUTE, type LdapSettings } from '../../settings/model.ts';
import { type GuidReading, readGuidValue } from './guid.ts';

export { escapeFilter };

/** The largest page mamgate asks for (AD's default MaxPageSize). */
export const MAX_PAGE_SIZE = 1000;
export const OBJECT_GUID_ATTRIBUTE = 'objectGUID';

export interface DirectoryTimeouts {
  /** TCP (and TLS) connection. */
  connectMs: number;
  /** Each LDAP operation: the bind, and each page of a search. */
  operationMs: number;
}

export const DEFAULT_TIMEOUTS: DirectoryTimeouts = { connectMs: 5_000, operationMs: 30_000 };

export interface DirectoryConfig {
  url: string;
  /** host:port of the URL, for messages (never user info). */
  server: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** The configured user filter, in parentheses. */
  userFilter: string;
  idAttribute: string;
  emailAttribute: string;
  usernameAttribute: string;
}

/** One directory entry as mamgate uses it. */
export interface DirectoryRecord {
  dn: string;
  /** Every value of the email attribute. */
  emails: string[];
  /** Every value of the username attribute. */
  usernames: string[];
  /** The id attribute's value, or null when the entry has none. */
  id: GuidReading | null;
  /** objectGUID when the entry has one: reported by the probe, never used as the id. */
  objectGuid: GuidReading | null;
  /** The entry's change mark (entryCSN or uSNChanged) when the read asked for it, as the server sent it. */
  changeMark?: string;
}

/**
 * The operational attribute that orders an entry's last change: OpenLDAP's entryCSN (kept with lastmod, syncprov or
 * not; microsecond time and a change count, where modifyTimestamp has whole seconds), AD's uSNChanged.
 */
export type ChangeAttribute = 'entryCSN' | 'uSNChanged';

/** What the server-state readers need of a client: a base-scope read of one entry (ldapts Client.search). */
export interface EntryReader {
  readEntry(dn: string, attributes: string[], bufferAttributes?: string[]): Promise<Entry | undefined>;
}

// An attribute description (RFC 4512): a name or an OID, with options. Anything else could change a filter.
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*$/;

function notConfigured(problem: string): AppError {
  return new AppError('mamgate.ldap.not_configured.app_error', { params: { Problem: problem } });
}

function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Checks the settings a directory read needs; `requireEnabled` is false for the probe of a not yet enabled setup. */
export function directoryConfig(settings: LdapSettings, options: { requireEnabled?: boolean } = {}): DirectoryConfig {
  if ((options.requireEnabled ?? true) && !settings.Enable) throw notConfigured('LdapSettings.Enable is off');
  const url = settings.Url.trim();
  if (!/^ldaps?:\/\/[^\s/]+\/?$/i.test(url)) throw notConfigured(`LdapSettings.Url "${serverOf(url)}" is not an ldap:// or ldaps:// URL`);
  if (!settings.BaseDn.trim()) throw notConfigured('LdapSettings.BaseDn is empty');
  // An empty DN or password is an anonymous bind (RFC 4513 §5.1.2): refuse it rather than read as nobody.
  if (!settings.BindDn.trim()) throw notConfigured('LdapSettings.BindDn is empty (mamgate binds as a read-only service account)');
  if (!settings.BindPassword) throw notConfigured('LdapSettings.BindPassword is empty (an empty password is an anonymous bind)');
  if (settings.IdAttribute.toLowerCase() === OBJECT_GUID_ATTRIBUTE.toLowerCase()) {
    throw new AppError('model.config.is_valid.ldap_id_attribute.app_error', {
      field: 'LdapSettings.IdAttribute',
      params: {
        Value: settings.IdAttribute,
        Result: 'breaks mobile authentication (objectGUID identifies the object in the managed domain, never the Entra objectId)',
      },
    });
  }
  for (const key of ['IdAttribute', 'EmailAttribute', 'UsernameAttribute'] as const) {
    if (!ATTRIBUTE.test(settings[key])) throw notConfigured(`LdapSettings.${key} "${settings[key].slice(0, 64)}" is not an attribute name`);
  }
  const filter = settings.UserFilter.trim() || '(objectClass=person)';
  const userFilter = filter.startsWith('(') ? filter : `(${filter})`;
  try {
    FilterParser.parseString(userFilter);
  } catch (error) {
    throw new AppError('mamgate.ldap.search_failed.app_error', {
      params: { BaseDn: settings.BaseDn, Reason: `LdapSettings.UserFilter is not a valid LDAP filter (${(error as Error).message})` },
    });
  }
  return {
    url,
    server: serverOf(url),
    bindDn: settings.BindDn.trim(),
    bindPassword: settings.BindPassword,
    baseDn: settings.BaseDn.trim(),
    userFilter,
    idAttribute: settings.IdAttribute,
    emailAttribute: settings.EmailAttribute,
    usernameAttribute: settings.UsernameAttribute,
  };
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

type Phase = 'connection' | 'bind' | 'search';

/** An ldapts or socket error as a catalogue AppError; the password never reaches the message. */
export function ldapError(error: unknown, config: DirectoryConfig, phase: Phase, timeouts: DirectoryTimeouts): AppError {
  if (error instanceof AppError) return error;
  const redact = (text: string) => (config.bindPassword ? text.split(config.bindPassword).join('***') : text).slice(0, 300);
  const message = redact(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  const options = { cause: error, detailed: `${phase}: ${message}` };
  const server = config.server;
  if (error instanceof ResultCodeError) {
    const reason = `${message || error.constructor.name} (LDAP result ${error.code})`;
    if (phase === 'bind' || phase === 'connection') {
      return new AppError('mamgate.ldap.bind_failed.app_error', { ...options, params: { Server: server, BindDn: config.bindDn, Reason: reason } });
    }
    if (error.code === 3) {
      return new AppError('mamgate.ldap.timeout.app_error', { ...options, params: { Server: server, Operation: 'search (server time limit)', Seconds: timeouts.operationMs / 1000 } });
    }
    const hint = error.code === 32 ? `; the base DN ${config.baseDn} does not exist` : error.code === 50 ? '; the service account may not read there' : '';
    return new AppError('mamgate.ldap.search_failed.app_error', { ...options, params: { BaseDn: config.baseDn, Reason: reason + hint } });
  }
  if (/Operation timed out/.test(message)) {
    return new AppError('mamgate.ldap.timeout.app_error', { ...options, params: { Server: server, Operation: phase, Seconds: timeouts.operationMs / 1000 } });
  }
  if (/Connection timeout/.test(message)) {
    return new AppError('mamgate.ldap.timeout.app_error', { ...options, params: { Server: server, Operation: 'connection', Seconds: timeouts.connectMs / 1000 } });
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE[code]) {
    return new AppError('mamgate.ldap.unavailable.app_error', { ...options, params: { Server: server, Reason: `${UNREACHABLE[code]} (${code})` } });
  }
  if (/Connection closed|Socket error|socket connection not established/i.test(message)) {
    return new AppError('mamgate.ldap.unavailable.app_error', { ...options, params: { Server: server, Reason: `the connection was lost during the ${phase}` } });
  }
  // TLS and other transport failures (certificate not trusted, protocol errors) also mean the server was not usable.
  return new AppError('mamgate.ldap.unavailable.app_error', { ...options, params: { Server: server, Reason: message || 'unknown error' } });
}

type Value = Entry[string];

function firstValue(value: Value): string | Buffer | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The non-blank values, as text. */
function texts(value: Value): string[] {
  const values: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const text = typeof item === 'string' ? item : item.toString('utf8');
    if (text.trim() !== '') values.push(text);
  }
  return values;
}

/** Attribute names as the server may send them back: explicitBufferAttributes compares them case-sensitively. */
function spellings(name: string): string[] {
  const names = [name, name.toLowerCase(), name.toUpperCase()];
  if (name.toLowerCase() === LDAP_OBJECT_ID_ATTRIBUTE.toLowerCase()) names.push(LDAP_OBJECT_ID_ATTRIBUTE);
  return [...new Set(names)];
}

/** The part of an ldapts Client mamgate uses: the seam where a test puts a fake directory (the AD path). */
export type LdapConnection = Pick<Client, 'bind' | 'search' | 'searchPaginated' | 'unbind'>;
export type ConnectDirectory = (options: { url: string; connectTimeout: number; timeout: number }) => LdapConnection;

const connectLdapts: ConnectDirectory = (options) => new Client(options);

export class DirectoryClient implements EntryReader {
  private readonly client: LdapConnection;
  private readonly bufferAttributes: string[];
  private readonly names: { id: string; email: string; username: string; objectGuid: string };
  private changeName = '';

  private constructor(
    readonly config: DirectoryConfig,
    readonly timeouts: DirectoryTimeouts,
    connect: ConnectDirectory,
  ) {
    this.client = connect({ url: config.url, connectTimeout: timeouts.connectMs, timeout: timeouts.operationMs });
    this.bufferAttributes = [...spellings(config.idAttribute), ...spellings(OBJECT_GUID_ATTRIBUTE)];
    this.names = {
      id: config.idAttribute.toLowerCase(),
      email: config.emailAttribute.toLowerCase(),
      username: config.usernameAttribute.toLowerCase(),
      objectGuid: OBJECT_GUID_ATTRIBUTE.toLowerCase(),
    };
  }

  /** Connects and binds as the service account. */
  static async open(config: DirectoryConfig, timeouts: Partial<DirectoryTimeouts> = {}, connect: ConnectDirectory = connectLdapts): Promise<DirectoryClient> {
    const directory = new DirectoryClient(config, { ...DEFAULT_TIMEOUTS, ...timeouts }, connect);
    try {
      await directory.client.bind(config.bindDn, config.bindPassword);
    } catch (error) {
      await directory.close();
      throw ldapError(error, config, 'bind', directory.timeouts);
    }
    return directory;
  }

  /** `(&UserFilter extra)`: `extra` must come from escapeFilter when it holds any value from outside. */
  userFilter(extra = ''): string {
    return extra ? `(&${this.config.userFilter}${extra})` : this.config.userFilter;
  }

  private attributes(withObjectGuid: boolean, changeAttribute?: ChangeAttribute): string[] {
    const { idAttribute, emailAttribute, usernameAttribute } = this.config;
    const names = [idAttribute, emailAttribute, usernameAttribute];
    if (withObjectGuid) names.push(OBJECT_GUID_ATTRIBUTE);
    // Operational attributes are sent only when asked for by name.
    if (changeAttribute) names.push(changeAttribute);
    return names;
  }

  // One pass over the entry's attributes (a sync reads every entry of the directory): names compared in lower
  // case, as LDAP attribute names are case-insensitive.
  private record(entry: Entry): DirectoryRecord {
    const record: DirectoryRecord = { dn: entry.dn, emails: [], usernames: [], id: null, objectGuid: null };
    for (const name of Object.keys(entry)) {
      if (name === 'dn') continue;
      const value = entry[name]!;
      const lower = name.toLowerCase();
      if (lower === this.names.id) {
        const first = firstValue(value);
        if (first !== undefined) record.id = readGuidValue(first);
      }
      if (lower === this.names.email) record.emails = texts(value);
      if (lower === this.names.username) record.usernames = texts(value);
      if (lower === this.names.objectGuid) {
        const first = firstValue(value);
        if (first !== undefined) record.objectGuid = readGuidValue(first);
      }
      if (lower === this.changeName) {
        const first = firstValue(value);
        if (first !== undefined) record.changeMark = first.toString();
      }
    }
    return record;
  }

  /**
   * Every entry under BaseDn that matches the filter, one page at a time: the next page is asked for only when
   * the caller comes back for it, so memory holds one page whatever the size of the directory.
   */
  async *pages(
    filter: string,
    options: { pageSize?: number; withObjectGuid?: boolean; changeAttribute?: ChangeAttribute } = {},
  ): AsyncGenerator<DirectoryRecord[]> {
    const pageSize = Math.min(Math.max(options.pageSize ?? MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    this.changeName = options.changeAttribute?.toLowerCase() ?? '';
    const search = this.client.searchPaginated(this.config.baseDn, {
      scope: 'sub',
      filter,
      attributes: this.attributes(options.withObjectGuid ?? false, options.changeAttribute),
      explicitBufferAttributes: this.bufferAttributes,
      paged: { pageSize },
    });
    for (;;) {
      let next: IteratorResult<{ searchEntries: Entry[] }>;
      try {
        next = await search.next();
      } catch (error) {
        throw ldapError(error, this.config, 'search', this.timeouts);
      }
      if (next.done) return;
      yield next.value.searchEntries.map((entry) => this.record(entry));
    }
  }

  /** At most `limit` entries matching the filter (one request, no paging). */
  async find(filter: string, limit: number, options: { withObjectGuid?: boolean } = {}): Promise<DirectoryRecord[]> {
    try {
      const { searchEntries } = await this.client.search(this.config.baseDn, {
        scope: 'sub',
        filter,
        attributes: this.attributes(options.withObjectGuid ?? false),
        explicitBufferAttributes: this.bufferAttributes,
        sizeLimit: Math.min(Math.max(limit, 1), MAX_PAGE_SIZE),
      });
      return searchEntries.map((entry) => this.record(entry));
    } catch (error) {
      throw ldapError(error, this.config, 'search', this.timeouts);
    }
  }

  /** One entry by DN (the rootDSE is ""), base scope; undefined when it does not exist or may not be read. */
  async readEntry(dn: string, attributes: string[], bufferAttributes: string[] = []): Promise<Entry | undefined> {
    try {
      const { searchEntries } = await this.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes, explicitBufferAttributes: bufferAttributes });
      return searchEntries[0];
    } catch (error) {
      if (error instanceof ResultCodeError && (error.code === 32 || error.code === 50)) return undefined;
      throw ldapError(error, this.config, 'search', this.timeouts);
    }
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => undefined);
  }
}
