// One client for the mamgate admin API, used by the standalone pages (admin token) and by the System Console
// components (the chat server's session cookie). Every refusal becomes an ApiError carrying the AppError body.
import type {
  AdminToken,
  AlignmentStatsAnswer,
  AuditFilter,
  AuditItem,
  EnrollmentItem,
  EvidenceItem,
  EvidenceSource,
  EvidenceState,
  LdapSyncRun,
  License,
  PreflightReport,
  ReportRow,
  ReportRun,
  Settings,
  SettingsDiff,
  SettingsUpdate,
  SettingsVersion,
  StatsAnswer,
  StatsBucket,
  StatsKind,
  UserDetail,
  VerifiedUser,
} from './types.ts';

export const PLUGIN_PATH = '/plugins/mamgate';
export const ADMIN_API_PATH = `${PLUGIN_PATH}/api/v1/admin`;

export interface FieldErrorBody {
  id: string;
  field: string;
  message: string;
  next_step: string;
}

export interface AppErrorBody {
  id: string;
  message: string;
  detailed_error?: string;
  request_id?: string;
  status_code?: number;
  next_step?: string;
  field?: string;
  field_errors?: FieldErrorBody[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: AppErrorBody | null;

  constructor(status: number, body: AppErrorBody | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  get nextStep(): string {
    return this.body?.next_step ?? '';
  }

  get fieldErrors(): FieldErrorBody[] {
    return this.body?.field_errors ?? [];
  }
}

export interface ApiOptions {
  /** Origin and path before /plugins/mamgate (the chat server's SiteURL, or '' for this origin). */
  siteUrl?: string;
  /** Extra headers for every call (Authorization for the standalone pages). */
  headers?: (method: string) => Record<string, string>;
  credentials?: RequestCredentials;
  /** Called on 401 before the error is thrown (the standalone pages return to the sign-in form). */
  onUnauthorized?: (error: ApiError) => void;
}

function isAppErrorBody(value: unknown): value is AppErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as AppErrorBody).id === 'string';
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export type MamgateApi = ReturnType<typeof createApi>;

export function createApi(options: ApiOptions = {}) {
  const base = `${(options.siteUrl ?? '').replace(/\/+$/, '')}${ADMIN_API_PATH}`;

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers?.(method) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: options.credentials ?? 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, null, 'The mamgate service did not answer. Check that it is running and reachable.');
    }
    if (response.ok) return response;
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // not an AppError
    }
    const appError = isAppErrorBody(parsed) ? parsed : null;
    const error = new ApiError(
      response.status,
      appError,
      appError?.message ?? `The mamgate service answered ${response.status} ${response.statusText}.`,
    );
    if (response.status === 401) options.onUnauthorized?.(error);
    throw error;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await send(method, path, body)).json()) as T;
  }

  return {
    async getSettings(): Promise<{ settings: Settings; version: number }> {
      const response = await send('GET', '/settings');
      return { settings: (await response.json()) as Settings, version: Number(response.headers.get('X-Settings-Version') ?? 0) };
    },
    async saveSettings(update: SettingsUpdate): Promise<{ settings: Settings; version: number }> {
      const response = await send('PUT', '/settings', update);
      return { settings: (await response.json()) as Settings, version: Number(response.headers.get('X-Settings-Version') ?? 0) };
    },
    getLicense: () => json<License>('GET', '/license'),
    preflight: () => json<PreflightReport>('GET', '/preflight'),
    startReport: () => json<ReportRun>('POST', '/reports/identity-alignment'),
    ldapSyncRuns: (limit = 5) => json<{ items: LdapSyncRun[]; next_before: number | null }>('GET', `/ldap/sync${query({ limit })}`),
    startLdapSync: (mode: 'full' | 'incremental') => json<LdapSyncRun>('POST', `/ldap/sync${query({ mode })}`),
    listReports: (limit = 1) => json<ReportRun[]>('GET', `/reports/identity-alignment${query({ limit })}`),
    reportStatus: (id: string) => json<ReportRun>('GET', `/reports/identity-alignment/${encodeURIComponent(id)}`),
    cancelReport: (id: string) => json<ReportRun>('POST', `/reports/identity-alignment/${encodeURIComponent(id)}/cancel`),
    reportRows: (id: string, filter: { status?: string; q?: string; limit?: number; after?: number | null }) =>
      json<{ items: ReportRow[]; next_after: number | null }>(
        'GET',
        `/reports/identity-alignment/${encodeURIComponent(id)}/rows${query(filter)}`,
      ),
    async downloadReport(id: string, format: 'csv' | 'jsonl', status?: string): Promise<Blob> {
      const response = await send('GET', `/reports/identity-alignment/${encodeURIComponent(id)}/download${query({ format, status })}`);
      return response.blob();
    },
    enrollments: (filter: { state?: string; user_id?: string; cause?: string; limit?: number; before?: number | null }) =>
      json<{ items: EnrollmentItem[]; next_before: number | null }>('GET', `/enrollments${query(filter)}`),
    evidence: (filter: { state?: EvidenceState | ''; source?: EvidenceSource | ''; user?: string; limit?: number; before?: string | null }) =>
      json<{ items: EvidenceItem[]; next_before: string | null }>('GET', `/evidence${query(filter)}`),
    stats: (kind: StatsKind, bucket: StatsBucket) => json<StatsAnswer>('GET', `/stats/${kind}${query({ bucket })}`),
    alignmentStats: (reports = 10) => json<AlignmentStatsAnswer>('GET', `/stats/alignment${query({ reports })}`),
    verifyEvidence: (userId: string) => json<VerifiedUser>('POST', `/users/${encodeURIComponent(userId)}/evidence/verify`),
    androidAttempts: () =>
      json<{ since: string; refused: number; allowed_unprotected: number; held_for_evidence: number; total: number }>('GET', '/android-attempts'),
    audit: (filter: AuditFilter & { limit?: number; before?: number | null }) =>
      json<{ items: AuditItem[]; next_before: number | null }>('GET', `/audit${query({ ...filter })}`),
    user: (id: string) => json<UserDetail>('GET', `/users/${encodeURIComponent(id)}`),
    revokeSessions: (id: string) =>
      json<{ revoked: number; chat_server_revocation?: 'queued' }>('POST', `/users/${encodeURIComponent(id)}/sessions/revoke`),
    adminTokens: () => json<{ items: AdminToken[] }>('GET', '/admin-tokens'),
    revokeAdminToken: (id: string) => json<{ id: string; revoked: true }>('POST', `/admin-tokens/${encodeURIComponent(id)}/revoke`),
    settingsHistory: (filter: { limit?: number; before?: number | null }) =>
      json<SettingsVersion[]>('GET', `/settings/history${query(filter)}`),
    settingsDiff: (version: number, against?: number) =>
      json<SettingsDiff>('GET', `/settings/history/${version}/diff${query({ against })}`),
  };
}

/** The Intune feature needs a license of tier Enterprise Advanced: SKU advanced or entry, not expired. */
export const QUALIFYING_SKUS = ['advanced', 'entry'];

export function licenseQualifies(license: License | null | undefined, now = Date.now()): boolean {
  if (!license?.IsLicensed || !license.SkuShortName) return false;
  if (license.ExpiresAt !== undefined && license.ExpiresAt <= now) return false;
  return QUALIFYING_SKUS.includes(license.SkuShortName.toLowerCase());
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
