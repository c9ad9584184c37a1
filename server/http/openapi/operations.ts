// Every route of the HTTP API, for the OpenAPI document: each names the zod schemas its handler parses with and
// answers by (the same objects, imported from beside the routes). The contract test fails when a route of the
// Express app or of the plain node:http paths is missing here.
import { z } from 'zod';
import { enrollmentReportShape } from '../../enrollment/report-enrollment.ts';
import { contentTypeOf } from '../../identity/report/export-format.ts';
import { licenseShape } from '../../license/model.ts';
import { loginRequestShape } from '../../login/login-request.ts';
import { settingsShape, settingsUpdateShape } from '../../settings/shape.ts';
import { tunnelRequestShape } from '../../tunnel/validate.ts';
import { userRecordShape } from '../../users/user-record.ts';
import { GATE_PATH } from '../gate-handler.ts';
import { SIGN_IN_PATH } from '../sign-in-handler.ts';
import {
  androidAttemptsAnswer,
  androidAttemptsQuery,
  auditListAnswer,
  auditQuery,
  enrollmentListAnswer,
  enrollmentsQuery,
  evidenceListAnswer,
  evidenceQuery,
  revokedSessionsAnswer,
  userDetailAnswer,
  userDetailParams,
  userPathParams,
  verifiedUserAnswer,
} from '../routes/admin-activity.schemas.ts';
import { syncModeQuery, syncRunAnswer, syncRunListAnswer, syncRunsQuery } from '../routes/admin-ldap.schemas.ts';
import { preflightAnswer } from '../routes/admin-preflight.schemas.ts';
import {
  EXPORT_FORMATS,
  reportDownloadQuery,
  reportListQuery,
  reportPathParams,
  reportRowsAnswer,
  reportRowsQuery,
  reportRunAnswer,
  reportRunListAnswer,
} from '../routes/admin-reports.schemas.ts';
import { alignmentStatsAnswer, alignmentStatsQuery, statsAnswer, statsQuery } from '../routes/admin-stats.schemas.ts';
import { effectiveSettingsAnswer, licenseAnswer, settingsHistoryAnswer, settingsHistoryQuery } from '../routes/admin-settings.schemas.ts';
import { tunnelReportAnswer } from '../routes/admin-tunnel.schemas.ts';
import { importAnswer, USER_IMPORT_TYPES } from '../routes/admin-users.schemas.ts';
import { clientConfigAnswer, clientLicenseAnswer } from '../routes/client.schemas.ts';
import { enrollmentAnswer, sessionStatusAnswer, signedInUser } from '../routes/mobile-session.schemas.ts';
import { healthAnswer, readinessAnswer } from '../routes/ops.schemas.ts';
import { samlAcsForm, samlSignedInAnswer } from '../routes/saml.schemas.ts';
import type { Operation, SecurityScheme } from './operation.ts';
import {
  adminTokenListAnswer,
  adminTokenParams,
  adminTokenRevokedAnswer,
  settingsDiffAnswer,
  settingsDiffQuery,
  settingsVersionParams,
} from '../routes/admin-history.schemas.ts';

export const OPENAPI_PATH = '/plugins/mamgate/api/v1/openapi.json';

const API = '/plugins/mamgate/api/v1';
const ADMIN = `${API}/admin`;

/** Admin routes: an admin token, or (companion mode) a system admin's chat-server session; cookie writes need both CSRF proofs. */
const adminRead: SecurityScheme[][] = [['adminToken'], ['chatServerSession'], ['sessionCookie']];
const adminWrite: SecurityScheme[][] = [['adminToken'], ['chatServerSession'], ['sessionCookie', 'csrfToken', 'requestedWith']];
/** The mobile client's session: a token in Authorization/Token, or the MMAUTHTOKEN cookie (writes with one CSRF proof). */
const sessionRead: SecurityScheme[][] = [['sessionToken'], ['sessionCookie']];
const sessionWrite: SecurityScheme[][] = [['sessionToken'], ['sessionCookie', 'csrfToken'], ['sessionCookie', 'requestedWith']];
const PUBLIC: SecurityScheme[][] = [];

const ADMIN_ERRORS = [401, 403, 503];
const ADMIN_QUERY_ERRORS = [400, 401, 403, 503];
const ADMIN_WRITE_ERRORS = [400, 401, 403, 409, 415, 503];

/** The document's outline (its parts are described by OpenAPI 3.1 itself). */
const openApiDocumentShape = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});

const json = (description: string, named: readonly [string, z.ZodType], headers?: Record<string, string>) => ({ description, json: named, headers });

export const OPERATIONS: Operation[] = [
  // --- operations ---
  { method: 'get', path: '/healthz', tag: 'operations', summary: 'Liveness: the process answers', security: PUBLIC, answers: { 200: json('Alive', ['Health', healthAnswer]) }, errors: [] },
  {
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    summary: 'Readiness: database reachable, migrations current, chat server view current (companion)',
    security: PUBLIC,
    answers: { 200: json('Ready', ['Readiness', readinessAnswer]) },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics (text exposition format)',
    security: PUBLIC,
    answers: { 200: { description: 'The metrics', media: 'text/plain' } },
    errors: [],
  },
  {
    method: 'get',
    path: OPENAPI_PATH,
    tag: 'operations',
    summary: 'This document (OpenAPI 3.1)',
    security: PUBLIC,
    answers: { 200: json('The OpenAPI document', ['OpenApiDocument', openApiDocumentShape]) },
    errors: [],
  },
  // --- chat-server-compatible pre-login and sign-in ---
  {
    method: 'get',
    path: '/api/v4/config/client',
    tag: 'sign-in',
    summary: "The client configuration, as the chat server's (format=old)",
    security: PUBLIC,
    answers: { 200: json('The client configuration', ['ClientConfig', clientConfigAnswer]) },
    errors: [503],
  },
  {
    method: 'get',
    path: '/api/v4/license/client',
    tag: 'sign-in',
    summary: "The client license, as the chat server's (format=old)",
    security: PUBLIC,
    answers: { 200: json('The client license', ['ClientLicense', clientLicenseAnswer]) },
    errors: [503],
  },
  {
    method: 'post',
    path: SIGN_IN_PATH,
    tag: 'sign-in',
    summary: 'Intune sign-in: an Entra access token for a new session (Mattermost IntuneLoginRequest)',
    description: 'The session token is answered in the Token header and the MMAUTHTOKEN cookie (with MMUSERID and MMCSRF).',
    security: PUBLIC,
    body: { json: ['IntuneLoginRequest', loginRequestShape], required: true },
    answers: { 200: json('Signed in', ['SignedInUser', signedInUser], { Token: 'The new session token', 'Set-Cookie': 'MMAUTHTOKEN, MMUSERID and MMCSRF' }) },
    errors: [400, 401, 403, 409, 415, 429, 503],
  },
  // --- the mobile client's session ---
  {
    method: 'get',
    path: GATE_PATH,
    tag: 'gate',
    summary: "The gate: whether this session's requests pass (nginx auth_request)",
    description: 'Any method is answered alike; a body is ignored. 204 passes, with X-Mam-State; a refusal carries X-Mam-Error.',
    security: sessionRead,
    answers: { 204: { description: 'Passes', headers: { 'X-Mam-State': 'The session state that let it pass', 'X-User-Id': 'The user' } } },
    errors: [401, 403, 503],
  },
  {
    method: 'get',
    path: `${API}/session`,
    tag: 'session',
    summary: "The session's MAM state and what the client should do",
    security: sessionRead,
    answers: { 200: json('The session', ['SessionStatus', sessionStatusAnswer]) },
    errors: [401, 403, 503],
  },
  {
    method: 'post',
    path: `${API}/enrollment`,
    tag: 'session',
    summary: "The client's report of its Intune enrollment outcome (idempotent on event_id)",
    security: sessionWrite,
    body: { json: ['EnrollmentReport', enrollmentReportShape], required: true },
    answers: { 200: json('What the client does next', ['EnrollmentAnswer', enrollmentAnswer]) },
    errors: [400, 401, 403, 415, 503],
  },
  {
    method: 'get',
    path: `${API}/events`,
    tag: 'session',
    summary: "Server-sent events for the session (state changes, revocation); Last-Event-ID resumes",
    security: sessionRead,
    answers: { 200: { description: 'The event stream', media: 'text/event-stream' } },
    errors: [401, 403, 503],
  },
  // --- SAML service provider ---
  {
    method: 'get',
    path: '/plugins/mamgate/saml/metadata',
    tag: 'saml',
    summary: 'SAML service provider metadata',
    security: PUBLIC,
    answers: { 200: { description: 'SP metadata', media: 'application/samlmetadata+xml' } },
    errors: [403, 503],
  },
  {
    method: 'get',
    path: '/plugins/mamgate/saml/login',
    tag: 'saml',
    summary: 'SP-initiated SAML sign-in (HTTP-Redirect binding to the IdP)',
    security: PUBLIC,
    answers: { 302: { description: 'To the IdP', headers: { Location: 'The IdP URL with the SAMLRequest' } } },
    errors: [400, 403, 503],
  },
  {
    method: 'post',
    path: '/plugins/mamgate/saml/acs',
    tag: 'saml',
    summary: 'SAML assertion consumer service (HTTP-POST binding): records the Entra objectId of the account',
    description: 'A client that accepts JSON before HTML gets JSON answers (and errors); a browser gets an HTML page.',
    security: PUBLIC,
    body: { json: ['SamlAcsForm', samlAcsForm], required: true, form: true },
    answers: { 200: { ...json('Signed in', ['SamlSignedIn', samlSignedInAnswer]), media: 'text/html' } },
    errors: [400, 401, 403, 409, 415, 429, 503],
  },
  // --- admin: settings and license ---
  {
    method: 'get',
    path: `${ADMIN}/settings`,
    tag: 'admin',
    summary: 'The stored settings, secrets masked',
    security: adminRead,
    answers: { 200: json('The settings', ['Settings', settingsShape], { 'X-Settings-Version': 'The version answered' }) },
    errors: ADMIN_ERRORS,
  },
  {
    method: 'put',
    path: `${ADMIN}/settings`,
    tag: 'admin',
    summary: 'Save settings: sections and keys given replace the stored ones',
    security: adminWrite,
    body: { json: ['SettingsUpdate', settingsUpdateShape], required: true },
    answers: { 200: json('The saved settings', ['Settings', settingsShape], { 'X-Settings-Version': 'The saved version' }) },
    errors: ADMIN_WRITE_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/settings/effective`,
    tag: 'admin',
    summary: 'The settings in force and where each comes from',
    security: adminRead,
    answers: { 200: json('The effective settings', ['EffectiveSettings', effectiveSettingsAnswer]) },
    errors: ADMIN_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/settings/history`,
    tag: 'admin',
    summary: 'Earlier settings versions, newest first, secrets masked',
    security: adminRead,
    query: settingsHistoryQuery,
    answers: { 200: json('The versions', ['SettingsHistory', settingsHistoryAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/license`,
    tag: 'admin',
    summary: 'The stored license',
    security: adminRead,
    answers: { 200: json('The license', ['License', licenseAnswer], { 'X-License-Version': 'The version answered' }) },
    errors: ADMIN_ERRORS,
  },
  {
    method: 'put',
    path: `${ADMIN}/license`,
    tag: 'admin',
    summary: 'Save the license ({IsLicensed: false} removes it)',
    security: adminWrite,
    body: { json: ['LicenseInput', licenseShape], required: true },
    answers: { 200: json('The saved license', ['License', licenseAnswer], { 'X-License-Version': 'The saved version' }) },
    errors: ADMIN_WRITE_ERRORS,
  },
  // --- admin: activity ---
  {
    method: 'get',
    path: `${ADMIN}/enrollments`,
    tag: 'admin',
    summary: 'Enrollment reports, newest first, with what each cause means',
    security: adminRead,
    query: enrollmentsQuery,
    answers: { 200: json('A page of reports', ['EnrollmentPage', enrollmentListAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/android-attempts`,
    tag: 'admin',
    summary: 'Protected Android clients counted from the audit log',
    security: adminRead,
    query: androidAttemptsQuery,
    answers: { 200: json('The counts', ['AndroidAttempts', androidAttemptsAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  ...(
    [
      ['enrollments', 'Enrollment reports per hour or day, by status and classified cause (the activity page\'s chart)'],
      ['sign-ins', 'Intune and SAML sign-ins per hour or day, by outcome and refusal id, from the audit log'],
      ['gate-refusals', "Gate refusals per hour or day, by refusal id, from the audit log (an entry's in-memory repeats included)"],
    ] as const
  ).map(
    ([name, summary]): Operation => ({
      method: 'get',
      path: `${ADMIN}/stats/${name}`,
      tag: 'admin',
      summary,
      security: adminRead,
      query: statsQuery,
      answers: { 200: json('The counts, one series per group and key', ['StatsCounts', statsAnswer]) },
      errors: ADMIN_QUERY_ERRORS,
    }),
  ),
  {
    method: 'get',
    path: `${ADMIN}/stats/alignment`,
    tag: 'identity',
    summary: 'The alignment summary of the last completed identity reports, oldest first (the identity page\'s chart)',
    security: adminRead,
    query: alignmentStatsQuery,
    answers: { 200: json('The reports and their counts per status', ['AlignmentOverReports', alignmentStatsAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/evidence`,
    tag: 'admin',
    summary: 'Enrollment evidence per protected user, newest first',
    security: adminRead,
    query: evidenceQuery,
    answers: { 200: json('A page of evidence', ['EvidencePage', evidenceListAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/audit`,
    tag: 'admin',
    summary: 'The audit log, newest first',
    security: adminRead,
    query: auditQuery,
    answers: { 200: json('A page of entries', ['AuditPage', auditListAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'post',
    path: `${ADMIN}/users/{id}/evidence/verify`,
    tag: 'admin',
    summary: "Read one user's Intune evidence from Microsoft Graph now (id or username)",
    security: adminWrite,
    params: userPathParams,
    answers: { 200: json('What Graph showed', ['VerifiedUser', verifiedUserAnswer]) },
    errors: [400, 401, 403, 404, 409, 502, 503, 504],
  },
  {
    method: 'post',
    path: `${ADMIN}/users/{id}/sessions/revoke`,
    tag: 'admin',
    summary: "End every live session of a user (companion: on the chat server too)",
    security: adminWrite,
    params: userPathParams,
    answers: { 200: json('How many ended', ['RevokedSessions', revokedSessionsAnswer]) },
    errors: [401, 403, 404, 503],
  },
  {
    method: 'post',
    path: `${ADMIN}/users/import`,
    tag: 'admin',
    summary: 'Import accounts from a CSV or JSON Lines file (a chat-server bulk export too), read as a stream',
    security: adminWrite,
    body: {
      media: USER_IMPORT_TYPES,
      description: `The file as the body (at most 200 MB); one account a row or line, with the fields ${Object.keys(userRecordShape.shape).join(', ')} (id, username and email required), or a chat-server bulk export.`,
    },
    answers: { 200: json('What was imported', ['ImportResult', importAnswer]) },
    errors: [400, 401, 403, 415, 503],
  },
  // --- admin: identity alignment ---
  {
    method: 'post',
    path: `${ADMIN}/reports/identity-alignment`,
    tag: 'identity',
    summary: 'Start an identity-alignment report (a background job)',
    security: adminWrite,
    answers: { 202: json('The queued run', ['ReportRun', reportRunAnswer]) },
    errors: [401, 403, 409, 503],
  },
  {
    method: 'get',
    path: `${ADMIN}/reports/identity-alignment`,
    tag: 'identity',
    summary: 'Recent report runs, newest first',
    security: adminRead,
    query: reportListQuery,
    answers: { 200: json('The runs', ['ReportRunList', reportRunListAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  {
    method: 'get',
    path: `${ADMIN}/reports/identity-alignment/{id}`,
    tag: 'identity',
    summary: "A run's status, progress and summary",
    security: adminRead,
    params: reportPathParams,
    answers: { 200: json('The run', ['ReportRun', reportRunAnswer]) },
    errors: [401, 403, 404, 503],
  },
  {
    method: 'post',
    path: `${ADMIN}/reports/identity-alignment/{id}/cancel`,
    tag: 'identity',
    summary: 'Cancel a queued or running report',
    security: adminWrite,
    params: reportPathParams,
    answers: { 200: json('The run', ['ReportRun', reportRunAnswer]) },
    errors: [401, 403, 404, 409, 503],
  },
  {
    method: 'get',
    path: `${ADMIN}/reports/identity-alignment/{id}/rows`,
    tag: 'identity',
    summary: "A page of a run's rows, in order",
    security: adminRead,
    params: reportPathParams,
    query: reportRowsQuery,
    answers: { 200: json('A page of rows', ['ReportRows', reportRowsAnswer]) },
    errors: [400, 401, 403, 404, 409, 503],
  },
  {
    method: 'get',
    path: `${ADMIN}/reports/identity-alignment/{id}/download`,
    tag: 'identity',
    summary: "A run's rows as a CSV or JSON Lines download",
    security: adminRead,
    params: reportPathParams,
    query: reportDownloadQuery,
    answers: { 200: { description: 'The file (Content-Disposition: attachment)', media: EXPORT_FORMATS.map((format) => contentTypeOf(format).split(';')[0]!) } },
    errors: [400, 401, 403, 404, 409, 503],
  },
  // --- admin: checks ---
  {
    method: 'get',
    path: `${ADMIN}/preflight`,
    tag: 'admin',
    summary: 'Run the preflight checks',
    security: adminRead,
    answers: { 200: json('The checks', ['PreflightReport', preflightAnswer]) },
    errors: ADMIN_ERRORS,
  },
  {
    method: 'post',
    path: `${ADMIN}/tunnel/validate`,
    tag: 'admin',
    summary: 'Validate MAM Tunnel values (given ones, or the stored settings for an empty body)',
    security: adminWrite,
    body: { json: ['TunnelValidationRequest', tunnelRequestShape], required: false },
    answers: { 200: json('The findings', ['TunnelReport', tunnelReportAnswer]) },
    errors: [400, 401, 403, 415, 503],
  },
  {
    method: 'post',
    path: `${ADMIN}/ldap/sync`,
    tag: 'identity',
    summary: 'Run an LDAP sync now (full, or incremental from the watermark)',
    security: adminWrite,
    query: syncModeQuery,
    answers: { 200: json('The run', ['SyncRun', syncRunAnswer]) },
    errors: [400, 401, 403, 409, 502, 503, 504],
  },
  {
    method: 'get',
    path: `${ADMIN}/ldap/sync`,
    tag: 'identity',
    summary: 'Recent LDAP sync runs, newest first',
    security: adminRead,
    query: syncRunsQuery,
    answers: { 200: json('A page of runs', ['SyncRunPage', syncRunListAnswer]) },
    errors: ADMIN_QUERY_ERRORS,
  },
  // --- admin pages ---
  {
    method: 'get',
    path: '/plugins/mamgate/admin/',
    tag: 'admin pages',
    summary: 'The standalone admin pages (every client route below it answers the same page)',
    security: PUBLIC,
    answers: {
      200: { description: 'The page', media: 'text/html' },
      503: { description: 'The pages are not built (npm run build:webapp)', media: 'text/html' },
    },
    errors: [],
  },
  {
    method: 'get',
    path: `${ADMIN}/users/{id}`,
    tag: 'admin',
    summary: "One user: account, sessions, evidence, enrollment history, identity sources and recent activity",
    security: adminRead,
    params: userDetailParams,
    answers: { 200: json('The user', ['UserDetail', userDetailAnswer]) },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: `${ADMIN}/settings/history/{version}/diff`,
    tag: 'admin',
    summary: 'What a settings version changed against the one before it (or against=N); secrets named, never shown',
    security: adminRead,
    params: settingsVersionParams,
    query: settingsDiffQuery,
    answers: { 200: json('The changes', ['SettingsDiff', settingsDiffAnswer]) },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: `${ADMIN}/admin-tokens`,
    tag: 'admin',
    summary: 'The admin tokens (name, created, last used, revoked), never their secret',
    security: adminRead,
    answers: { 200: json('The tokens', ['AdminTokenList', adminTokenListAnswer]) },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: `${ADMIN}/admin-tokens/{id}/revoke`,
    tag: 'admin',
    summary: 'Revoke an admin token: it stops working at once',
    security: adminWrite,
    params: adminTokenParams,
    answers: { 200: json('Revoked', ['AdminTokenRevoked', adminTokenRevokedAnswer]) },
    errors: [400, 401, 403, 404],
  },
];

/** Kept in the document so that a client can tell a JSON error from any other answer: the AppError body. */
export const ERROR_SCHEMA_NAME = 'AppError';
