// The one catalogue of errors. HTTP answers, the CLI, the preflight and the admin pages all read it, so an id,
// its status and its advice are written down exactly once. Messages may name parameters as {{Name}}.

/** The row of the seed's Intune error table an error belongs to (what the mobile client and the docs call it). */
export type MamError =
  | 'Forbidden'
  | 'NotLicensed'
  | 'MissingAuthAccountError'
  | 'UserMismatch'
  | 'EnrollmentDeclined'
  | 'EnrollmentFailed';

export interface CatalogueEntry {
  status: number;
  message: string;
  next_step: string;
  mam_error?: MamError;
}

const settingsNextStep = 'Correct the setting named in the message and save again; nothing was saved.';

function settingsRule(message: string, next_step = settingsNextStep): CatalogueEntry {
  return { status: 400, message, next_step };
}

export const catalogue = {
  // --- Mattermost IntuneSettings.IsValid / Config.IsValid, in Mattermost's order ---
  'model.config.is_valid.intune_tenant_id.app_error': settingsRule(
    'Intune MAM is enabled but IntuneSettings.TenantId is empty.',
    'Set Tenant ID to your Microsoft Entra tenant (Directory) ID, a GUID, or turn Intune MAM off.',
  ),
  'model.config.is_valid.intune_tenant_id_format.app_error': settingsRule(
    'IntuneSettings.TenantId "{{Value}}" is not a GUID (8-4-4-4-12 hexadecimal digits).',
    'Copy the Directory (tenant) ID from the Entra admin center; it looks like 12345678-1234-1234-1234-123456789012.',
  ),
  'model.config.is_valid.intune_client_id.app_error': settingsRule(
    'Intune MAM is enabled but IntuneSettings.ClientId is empty.',
    "Set Application (Client) ID to the chat server's own API app registration, a GUID.",
  ),
  'model.config.is_valid.intune_client_id_format.app_error': settingsRule(
    'IntuneSettings.ClientId "{{Value}}" is not a GUID (8-4-4-4-12 hexadecimal digits).',
    "Copy the Application (client) ID of the chat server's API app registration from the Entra admin center.",
  ),
  'model.config.is_valid.intune_auth_service.app_error': settingsRule(
    'Intune MAM is enabled but IntuneSettings.AuthService is empty.',
    'Choose the sign-in method Intune MAM protects: office365 (OpenID Connect) or saml.',
  ),
  'model.config.is_valid.intune_auth_service_invalid.app_error': settingsRule(
    'IntuneSettings.AuthService "{{Value}}" is not supported; only office365 and saml can be protected by Intune MAM.',
    'Set AuthService to office365 or saml.',
  ),
  'model.config.is_valid.intune_requires_office365.app_error': settingsRule(
    'Intune MAM protects office365 sign-ins, but Office365Settings.Enable is off.',
    'Enable Office 365 (Entra ID) sign-in first, or choose saml as the auth provider.',
  ),
  'model.config.is_valid.intune_requires_saml.app_error': settingsRule(
    'Intune MAM protects saml sign-ins, but SamlSettings.Enable is off.',
    'Enable SAML sign-in first, or choose office365 as the auth provider.',
  ),
  // --- mamgate's additions to IntuneSettings ---
  'model.config.is_valid.intune_id_attribute.app_error': settingsRule(
    'IntuneSettings.IdAttribute "{{Value}}" is not supported: {{Result}}. Intune MAM requires the Entra objectId.',
    'Set IdAttribute to objectId; Entra access tokens carry it as the oid claim.',
  ),
  'model.config.is_valid.intune_scope.app_error': settingsRule(
    'IntuneSettings.IntuneScope "{{Value}}" is not of the form {resource}/{permission} or {resource}/.default.',
    'Leave IntuneScope empty to use api://{ClientId}/login.mattermost, or enter the scope exposed by your API app registration.',
  ),
  'model.config.is_valid.intune_allowed_client_ids.app_error': settingsRule(
    'IntuneSettings.AllowedClientIds is empty, so no mobile client could sign in.',
    'List the Entra client IDs of the mobile apps allowed to sign in (the official ones are the default).',
  ),
  'model.config.is_valid.intune_allowed_client_ids_format.app_error': settingsRule(
    'IntuneSettings.AllowedClientIds entry "{{Value}}" is not a GUID.',
    "Each entry is a mobile app's Application (client) ID, a GUID.",
  ),
  'model.config.is_valid.intune_tunnel_client_id_format.app_error': settingsRule(
    'IntuneSettings.TunnelClientId "{{Value}}" is not a GUID.',
    'Set TunnelClientId to the client ID of the tunnel-enabled mobile app registration, or leave it empty.',
  ),
  'model.config.is_valid.saml_id_attribute.app_error': settingsRule(
    'SamlSettings.IdAttribute "{{Value}}" is not supported: {{Result}}.',
    'Map SamlSettings.IdAttribute to http://schemas.microsoft.com/identity/claims/objectidentifier.',
  ),
  'model.config.is_valid.ldap_id_attribute.app_error': settingsRule(
    'LdapSettings.IdAttribute "{{Value}}" is not supported: {{Result}}.',
    'Set LdapSettings.IdAttribute to msDS-aadObjectId (Entra Domain Services copies the Entra objectId there).',
  ),
  'model.config.is_valid.ldap_url.app_error': settingsRule(
    'LDAP is enabled but LdapSettings.Url "{{Value}}" is not an ldap:// or ldaps:// URL.',
    'Set LdapSettings.Url, for example ldaps://ldaps.contoso.com:636.',
  ),
  'model.config.is_valid.ldap_base_dn.app_error': settingsRule(
    'LDAP is enabled but LdapSettings.BaseDn is empty.',
    'Set LdapSettings.BaseDn to the directory subtree that holds your users, for example OU=AADDC Users,DC=contoso,DC=com.',
  ),
  'model.config.is_valid.intune_enrollment_evidence.app_error': settingsRule(
    'IntuneSettings.EnrollmentEvidence "{{Value}}" is not one of auto, graph, client.',
    'Choose graph (the server verifies Intune registrations through Microsoft Graph), client (the unverified client report) or auto.',
  ),
  'model.config.is_valid.intune_evidence_requires_graph.app_error': settingsRule(
    'IntuneSettings.EnrollmentEvidence is graph, but GraphSettings.Enable is off.',
    'Enable GraphSettings and set its ClientId (and ClientSecret), or choose auto or client evidence.',
  ),
  'model.config.is_valid.intune_mobile_app_ids.app_error': settingsRule(
    'IntuneSettings.MobileAppIds is empty, so no Intune registration could count as evidence.',
    'List the mobile app bundle ids, for example com.mattermost.rn,com.mattermost.rnbeta.',
  ),
  'model.config.is_valid.graph_client_id.app_error': settingsRule(
    'GraphSettings.ClientId "{{Value}}" is not a GUID.',
    'Copy the Application (client) ID of the Entra app registration that has DeviceManagementApps.Read.All.',
  ),
  'model.config.is_valid.chat_server_url.app_error': settingsRule(
    'ChatServerSettings.Url "{{Value}}" is not an http:// or https:// base URL without credentials or query.',
    "Set ChatServerSettings.Url to the chat server's site URL, for example https://chat.contoso.com, or leave it empty to run standalone.",
  ),
  'model.config.is_valid.saml_assertion_consumer_service_url.app_error': settingsRule(
    'SamlSettings.AssertionConsumerServiceURL "{{Value}}" is not an http:// or https:// URL without credentials, query or fragment.',
    "Set it to this server's SAML ACS as the browser reaches it, for example https://chat.contoso.com/plugins/mamgate/saml/acs, the same value as the Entra enterprise application's Reply URL.",
  ),
  'model.config.is_valid.saml_idp_certificate.app_error': settingsRule(
    'SamlSettings.IdpCertificates entry {{Index}} is not a PEM or base64 X.509 certificate.',
    'Paste the Entra SAML signing certificate (Base64) from the enterprise application.',
  ),

  // --- Requests ---
  'mamgate.request.malformed_json.app_error': {
    status: 400,
    message: 'The request body is not valid JSON.',
    next_step: 'Send a JSON document with Content-Type: application/json.',
  },
  'mamgate.request.body_too_large.app_error': {
    status: 400,
    message: 'The request body is larger than the {{Limit}} this endpoint accepts.',
    next_step: 'Send a smaller body.',
  },
  'mamgate.request.unsupported_media_type.app_error': {
    status: 415,
    message: 'This endpoint accepts application/json bodies only.',
    next_step: 'Send the body as JSON with Content-Type: application/json.',
  },
  'mamgate.request.invalid_body_param.app_error': {
    status: 400,
    message: 'Invalid or missing parameter in the request body: {{Field}} ({{Problem}}).',
    next_step: 'Correct the named field and send the request again; nothing was changed.',
  },
  'mamgate.request.invalid_query_param.app_error': {
    status: 400,
    message: 'Invalid query parameter: {{Field}} ({{Problem}}).',
    next_step: 'Correct the named parameter and send the request again.',
  },
  'mamgate.request.invalid_text.app_error': {
    status: 400,
    message: 'The request carries text that cannot be stored or searched (a NUL character or an invalid byte sequence).',
    next_step: 'Remove NUL characters and send UTF-8 text; nothing was changed.',
  },
  'mamgate.request.not_found.app_error': {
    status: 404,
    message: 'There is no {{Method}} {{Path}} on this server.',
    next_step: 'Check the URL and method against the README.',
  },

  // --- Admin ---
  'mamgate.admin.unauthorized.app_error': {
    status: 401,
    message: 'This admin request carries no valid admin token.',
    next_step: 'Send Authorization: Bearer <admin token>; create one with `mamgate admin token create`.',
  },
  'mamgate.admin.token_not_found.app_error': {
    status: 404,
    message: 'No admin token has the id "{{Id}}".',
    next_step: 'List the tokens with `mamgate admin token list` and revoke by the id shown there.',
  },
  'mamgate.license.invalid.app_error': {
    status: 400,
    message: 'The license is not valid: {{Problem}}.',
    next_step: 'Send {"IsLicensed": true, "SkuShortName": "advanced"} (or entry, enterprise, professional), or {"IsLicensed": false}.',
  },

  // --- Android clients and cookie-carried writes (issue 16) ---
  'mamgate.intune.android_not_supported.app_error': {
    status: 403,
    message: 'Intune app protection is not available for the chat mobile app on Android, so this Android sign-in cannot be protected.',
    next_step:
      'User: use the app on an iPhone or iPad, or the web app. Operator: keep IntuneSettings.AndroidPolicy refuse, or choose require_enrollment (held until evidence) or allow_unprotected (let Android in without app protection, audited).',
  },
  'model.config.is_valid.intune_android_policy.app_error': settingsRule(
    'IntuneSettings.AndroidPolicy "{{Value}}" is not one of refuse, allow_unprotected, require_enrollment.',
    'Choose refuse (the default: Android sign-ins get a clear error), require_enrollment (held like iOS until evidence) or allow_unprotected.',
  ),
  'mamgate.session.csrf_failed.app_error': {
    status: 403,
    message: 'A change sent with the MMAUTHTOKEN session cookie carried neither X-CSRF-Token equal to the MMCSRF cookie nor X-Requested-With: XMLHttpRequest; nothing was changed.',
    next_step:
      "A web client sends X-Requested-With: XMLHttpRequest or the MMCSRF cookie's value as X-CSRF-Token; the mobile app sends its token in Authorization: Bearer, which needs neither.",
  },

  // --- Operations ---
  // --- the chat server mamgate is the companion of (server/chatserver) ---
  'mamgate.chatserver.unavailable.app_error': {
    status: 503,
    message: 'The chat server did not answer in time, so this request could not be decided.',
    next_step:
      'Check that the chat server at ChatServerSettings.Url (or MAMGATE_CHAT_SERVER_URL) is running and reachable from mamgate; mamgate retries by itself.',
  },
  'mamgate.chatserver.admin_token_refused.app_error': {
    status: 503,
    message: 'The chat server refused mamgate\'s admin token (HTTP {{Status}}), so its configuration and license cannot be read.',
    next_step:
      'Create a personal access token for a system admin (or a bot with the system_admin role) and set it as ChatServerSettings.AdminToken or MAMGATE_CHAT_SERVER_TOKEN.',
  },
  'mamgate.chatserver.stale.app_error': {
    status: 503,
    message: "The chat server's configuration and license were last read {{Age}} s ago, longer than the {{Bound}} s mamgate decides on.",
    next_step: 'Check that the chat server is reachable from mamgate and that the admin token is valid; mamgate reads it again by itself.',
  },
  'mamgate.chatserver.owned_setting.app_error': {
    status: 409,
    message: '{{What}} comes from the chat server while mamgate is its companion, so it cannot be changed here.',
    next_step: "Change it in the chat server's System Console ({{Where}}); mamgate follows within a second.",
  },
  'mamgate.admin.not_system_admin.app_error': {
    status: 403,
    message: 'The chat-server user {{Username}} is not a system admin, so mamgate\'s admin pages and API are closed to them.',
    next_step: 'Sign in to the System Console as a system admin, or use a mamgate admin token (mamgate admin token create).',
  },
  'mamgate.admin.csrf_failed.app_error': {
    status: 401,
    message: 'A change sent with the System Console session cookie did not carry the matching X-CSRF-Token header.',
    next_step: "Reload the System Console page and try again; a script must send the MMCSRF cookie's value as X-CSRF-Token.",
  },
  'mamgate.gate.object_id_unknown.app_error': {
    status: 403,
    message: 'No Entra objectId is known for this chat account, so its Intune enrollment cannot be checked.',
    next_step:
      "Operator: import the chat server's bulk export (mamgate users import export.jsonl) or run an LDAP sync, then check the identity report. User: contact your administrator.",
    mam_error: 'MissingAuthAccountError',
  },
  'mamgate.database.unavailable.app_error': {
    status: 503,
    message: 'The database is not reachable, so this request could not be decided.',
    next_step: 'Check that PostgreSQL is running and DATABASE_URL is right; mamgate reconnects by itself.',
  },
  'mamgate.database.migrations_pending.app_error': {
    status: 503,
    message: 'The database schema is behind this version of mamgate: {{Count}} migration(s) not applied.',
    next_step: 'Run `mamgate migrate` (the service also migrates when it starts).',
  },
  'mamgate.service.already_running.app_error': {
    status: 409,
    message: 'A mamgate service is already running on the data directory {{DataDir}}.',
    next_step: 'Stop the other service first, or use another MAMGATE_DATA_DIR.',
  },
  'mamgate.cli.usage.app_error': {
    status: 400,
    message: '{{Problem}}',
    next_step: 'Run the command with --help to see its usage.',
  },
  'mamgate.internal.app_error': {
    status: 500,
    message: 'An unexpected error occurred.',
    next_step: 'Report it with the request id; the server log has the details under that id.',
  },

  // --- Intune sign-in (DESIGN.md error table) ---
  'mamgate.login.rate_limited.app_error': {
    status: 429,
    message: 'Too many sign-in attempts {{Scope}}; try again in {{RetryAfter}} s.',
    next_step: 'Wait for the time in Retry-After before signing in again.',
  },
  'mamgate.login.device_busy.app_error': {
    status: 409,
    message: 'Other sign-ins of this account on this device kept finishing first; this one was not completed.',
    next_step: 'Sign in again; only one sign-in per device should run at a time.',
  },
  'ent.intune.login.not_configured.app_error': {
    status: 403,
    message: 'Microsoft Intune MAM sign-in is not configured on this server.',
    next_step:
      'An administrator must enable Intune MAM with a valid Tenant ID and Client ID, choose an auth provider that is itself enabled, and apply an Enterprise Advanced license.',
    mam_error: 'Forbidden',
  },
  'ent.intune.login.not_licensed.app_error': {
    status: 403,
    message: 'This server is not licensed for Microsoft Intune MAM.',
    next_step: 'An administrator must apply an Enterprise Advanced (or Entry) license to this server.',
    mam_error: 'NotLicensed',
  },
  'ent.intune.validate_token.invalid_token.app_error': {
    status: 401,
    message: 'The Entra access token was refused: {{Reason}}.',
    next_step:
      'Sign in again in the mobile app. If it keeps failing, check that the app requests IntuneScope, that the API app registration issues v2 tokens (accessTokenAcceptedVersion = 2), and that the mobile client ID is allowed.',
  },
  'ent.intune.validate_token.token_expired.app_error': {
    status: 401,
    message: 'The Entra access token has expired.',
    next_step: 'The mobile app renews the token silently and retries once; sign in again if it does not.',
  },
  'ent.intune.validate_token.invalid_tenant_id.app_error': {
    status: 401,
    message: 'The Entra access token was issued for another tenant: {{Reason}}.',
    next_step: 'Sign in with an account of the tenant configured in IntuneSettings.TenantId, or correct the Tenant ID.',
  },
  'ent.intune.validate_token.missing_claims.app_error': {
    status: 400,
    message: 'The Entra access token does not carry the {{Claim}} claim this server needs.',
    next_step:
      'Set accessTokenAcceptedVersion = 2 on the API app registration so access tokens carry oid, and keep IdAttribute = objectId.',
    mam_error: 'MissingAuthAccountError',
  },
  'ent.intune.validate_token.jwks_init.app_error': {
    status: 503,
    message: "The tenant's signing keys could not be fetched and none are cached.",
    next_step:
      'Check that this server can reach the Entra authority (MAMGATE_ENTRA_AUTHORITY) over HTTPS; sign-in resumes by itself once it can.',
  },
  'ent.intune.login.account_not_found.app_error': {
    status: 428,
    message: 'No SAML account on this server has the Entra objectId of this sign-in.',
    next_step:
      'Sign in once on the web or desktop app with SAML so the account exists, and check that SamlSettings.IdAttribute maps to objectidentifier.',
    mam_error: 'MissingAuthAccountError',
  },
  'ent.intune.login.user_mismatch.app_error': {
    status: 409,
    message: "The token's objectId differs from the objectId of the account that owns {{Email}}.",
    next_step:
      "Align identities on the Entra objectId: the account's auth data must be the user's objectId (run the identity alignment report).",
    mam_error: 'UserMismatch',
  },
  'api.user.login_by_intune.bot_login_forbidden.app_error': {
    status: 403,
    message: 'Bot accounts cannot sign in with Microsoft Intune.',
    next_step: 'Sign in with a person\'s account.',
  },
  'api.user.login_by_intune.account_locked.app_error': {
    status: 409,
    message: 'This account is deactivated.',
    next_step: 'Ask an administrator to reactivate the account.',
  },
  'api.context.session_expired.app_error': {
    status: 401,
    message: 'Invalid or expired session, please login again.',
    next_step: 'Sign in again.',
  },
  'mamgate.enrollment.invalid_status.app_error': {
    status: 400,
    message: 'Enrollment status "{{Value}}" is not one of enrolled, declined, failed.',
    next_step: 'Report enrolled, declined or failed.',
  },
  'mamgate.users.import_format.app_error': {
    status: 415,
    message: 'A user import is CSV (text/csv) or JSON Lines (application/x-ndjson), not {{ContentType}}.',
    next_step: 'Send the file with Content-Type text/csv or application/x-ndjson.',
  },
  'mamgate.report.not_found.app_error': {
    status: 404,
    message: 'No report has the id "{{Id}}".',
    next_step: 'List the reports with GET …/admin/reports/identity-alignment, or start one.',
  },
  'mamgate.admin.user_not_found.app_error': {
    status: 404,
    message: 'No user has the id "{{Id}}".',
    next_step: 'Check the user id.',
  },
  'mamgate.settings.version_not_found.app_error': {
    status: 404,
    message: 'No settings version {{Version}} was saved.',
    next_step: 'List the saved versions with GET admin/settings/history and use a version number from there.',
  },
  'ent.intune.enrollment.required.app_error': {
    status: 403,
    message: 'This mobile session must complete Intune MAM enrollment before it can be used.',
    next_step: 'Complete the Intune enrollment prompt in the mobile app.',
  },
  'ent.intune.enrollment.declined.app_error': {
    status: 403,
    message: 'Intune MAM enrollment was declined, so this session cannot be used.',
    next_step: 'Choose Retry in the mobile app and accept the enrollment when ready; no data was removed.',
    mam_error: 'EnrollmentDeclined',
  },
  'ent.intune.enrollment.failed.app_error': {
    status: 401,
    message: 'Intune MAM enrollment failed technically; the session has been ended.',
    next_step:
      'Fix the cause reported for the failure (missing MAM permission or admin consent, identity mismatch, Conditional Access) before adding the server again.',
    mam_error: 'EnrollmentFailed',
  },
  // --- LDAP directory (sync, lookup, probe); messages name the server and the bind DN, never the password ---
  'mamgate.ldap.not_configured.app_error': {
    status: 409,
    message: 'The LDAP directory cannot be read: {{Problem}}.',
    next_step: 'Enable LDAP and set LdapSettings.Url, BindDn, BindPassword and BaseDn, then sync again.',
  },
  'mamgate.ldap.unavailable.app_error': {
    status: 502,
    message: 'The LDAP server {{Server}} could not be reached: {{Reason}}.',
    next_step:
      'Check that the directory is up and reachable from this server (host, port, firewall, ldaps certificate); the last good directory data is kept until a sync succeeds.',
  },
  'mamgate.ldap.bind_failed.app_error': {
    status: 502,
    message: 'The LDAP server {{Server}} refused the bind as {{BindDn}}: {{Reason}}.',
    next_step:
      'Check LdapSettings.BindDn and BindPassword of the read-only service account (not the root DN); the last good directory data is kept.',
  },
  'mamgate.ldap.timeout.app_error': {
    status: 504,
    message: 'The LDAP server {{Server}} did not answer the {{Operation}} within {{Seconds}} s.',
    next_step: 'Check the load and reachability of the directory and sync again; the last good directory data is kept.',
  },
  'mamgate.ldap.search_failed.app_error': {
    status: 502,
    message: 'The LDAP search under {{BaseDn}} failed: {{Reason}}.',
    next_step:
      'Check LdapSettings.BaseDn and UserFilter, and that the service account may read the users; the last good directory data is kept.',
  },
  'mamgate.ldap.sync_in_progress.app_error': {
    status: 409,
    message: 'Another LDAP sync is running.',
    next_step: 'Wait for it to finish (GET …/admin/ldap/sync lists the runs), then sync again if needed.',
  },
  'mamgate.ldap.sync_interrupted.app_error': {
    status: 503,
    message: 'The LDAP sync stopped before it finished: the node running it stopped or lost its database connection.',
    next_step: 'Nothing of it was kept (the last good directory data stays); sync again.',
  },

  // --- MAM Tunnel (TunnelSettings: the com.microsoft.tunnel.* app-config values; checked while Intune MAM is on) ---
  'model.config.is_valid.tunnel_incomplete.app_error': settingsRule(
    'The MAM Tunnel configuration is partial: {{Missing}} missing. Clients require the tunnel only when ConnectionType, ConnectionName, SiteId and ServerAddress are all set.',
    'Set the missing keys to the values of your app configuration policy, or clear all four to turn MAM Tunnel off.',
  ),
  'model.config.is_valid.tunnel_site_id.app_error': settingsRule(
    'TunnelSettings.SiteId "{{Value}}" is not a GUID.',
    'Copy the id of the Microsoft Tunnel site (a GUID) from Tenant administration › Microsoft Tunnel Gateway › Sites.',
  ),
  'model.config.is_valid.tunnel_server_address.app_error': settingsRule(
    'TunnelSettings.ServerAddress "{{Value}}" is not host:port: {{Problem}}.',
    "Set it to the site's public address, a colon and the server configuration's listen port, e.g. tunnel.contoso.com:443.",
  ),
  'model.config.is_valid.tunnel_client_id.app_error': settingsRule(
    'MAM Tunnel is configured but IntuneSettings.TunnelClientId is empty, so the tokens of the tunnel-enabled app would be refused.',
    'Set IntuneSettings.TunnelClientId to the client ID of the tunnel-enabled mobile app registration.',
  ),
  'model.config.is_valid.tunnel_trusted_roots.app_error': settingsRule(
    'TunnelSettings.TrustedRootCertificates cannot be read: {{Problem}}.',
    'Paste a JSON array of trusted-root profiles, each with trustedRootCertificate holding a base64 DER or PEM certificate, or leave it empty.',
  ),
  'model.config.is_valid.tunnel_proxy_pac_url.app_error': settingsRule(
    'TunnelSettings.ProxyPacUrl "{{Value}}" is not an http(s) URL.',
    'Set the http:// or https:// URL of the PAC file, or leave it empty.',
  ),
  'model.config.is_valid.tunnel_proxy.app_error': settingsRule(
    'The MAM Tunnel proxy is incomplete or malformed: {{Problem}}.',
    'Set both TunnelSettings.ProxyAddress (a host name or IP address) and TunnelSettings.ProxyPort (1–65535), or neither.',
  ),

  // --- CLI: unknown commands and the files commands take (issue 16) ---
  'mamgate.cli.unknown_command.app_error': {
    status: 400,
    message: '"{{Command}}" is not a mamgate command; the closest is "mamgate {{Suggestion}}".',
    next_step: 'Run `mamgate --help` for every command, or the suggested one with --help for its usage.',
  },
  'mamgate.cli.file_not_found.app_error': {
    status: 404,
    message: '{{Path}} does not exist.',
    next_step: 'Check the path; a relative path is read from the directory the command runs in.',
  },
  'mamgate.cli.file_access.app_error': {
    status: 403,
    message: '{{Path}} cannot be {{Access}}: {{Reason}}.',
    next_step: 'Give a path to a file (not a directory) this OS user may read, or, for output, in a folder it may write to.',
  },

  // --- SAML service provider (identity source) ---
  'mamgate.saml.not_configured.app_error': {
    status: 403,
    message: 'SAML sign-in is not configured on this server: {{Reason}}.',
    next_step:
      'An administrator must enable SAML (SamlSettings.Enable) with SpEntityId, AssertionConsumerServiceURL, IdpUrl and at least one IdpCertificates entry, and set IntuneSettings.TenantId to the Entra tenant ID.',
  },
  'mamgate.saml.unsupported_media_type.app_error': {
    status: 415,
    message: 'The SAML assertion consumer service accepts application/x-www-form-urlencoded bodies only, not {{ContentType}}.',
    next_step: 'Post the SAMLResponse with the HTTP-POST binding (an HTML form), as Entra does.',
  },
  'mamgate.saml.invalid_response.app_error': {
    status: 401,
    message: 'The SAML response was refused: {{Reason}}.',
    next_step:
      'Sign in again from the SAML login page. If it keeps failing, check that the Entra enterprise application signs the assertion with a certificate listed in SamlSettings.IdpCertificates and that its Identifier (Entity ID) equals SamlSettings.SpEntityId.',
  },
  'mamgate.saml.status_not_success.app_error': {
    status: 401,
    message: 'The identity provider did not sign the user in: the SAML response status is {{Status}}, not Success ({{Detail}}).',
    next_step:
      "Nothing was signed in. The status and Entra's message name the cause (AADSTS50105: the user is not assigned to the enterprise application, AADSTS75011: the requested sign-in method does not match); fix it in the Entra enterprise application or for the user, then sign in again.",
  },
  'mamgate.saml.wrong_destination.app_error': {
    status: 401,
    message: "The SAML response is addressed to {{Destination}}, not to this server's assertion consumer service {{AcsUrl}}.",
    next_step:
      'In the Entra enterprise application (Basic SAML Configuration), set the Reply URL (Assertion Consumer Service URL) to exactly SamlSettings.AssertionConsumerServiceURL, or correct that setting; then sign in again.',
  },
  'mamgate.saml.wrong_recipient.app_error': {
    status: 401,
    message: "The SAML assertion is for the recipient {{Recipient}}, not this server's assertion consumer service {{AcsUrl}}.",
    next_step:
      'An assertion is accepted only at the ACS it was issued for. Set the Reply URL of the Entra enterprise application to exactly SamlSettings.AssertionConsumerServiceURL (or correct that setting), then sign in again.',
  },
  'mamgate.saml.invalid_tenant.app_error': {
    status: 401,
    message: 'The SAML assertion was issued for another tenant: {{Reason}}.',
    next_step: 'Sign in with an account of the tenant configured in IntuneSettings.TenantId, or correct the Tenant ID.',
  },
  'mamgate.saml.missing_attribute.app_error': {
    status: 400,
    message: 'The SAML assertion does not carry a usable {{Attribute}}: {{Reason}}.',
    next_step:
      'In the Entra enterprise application (Attributes & Claims), emit objectidentifier (user.objectid) and tenantid, and the email and name claims named in SamlSettings.EmailAttribute and SamlSettings.UsernameAttribute.',
  },
  'mamgate.saml.account_not_found.app_error': {
    status: 404,
    message: 'No account on this server has the email {{Email}} of this SAML sign-in.',
    next_step:
      'Import the user (`mamgate users import`), or make saml the IntuneSettings.AuthService so SAML sign-in creates the account; check SamlSettings.EmailAttribute.',
  },

  // --- Preflight checks only Microsoft Graph can answer (server/preflight/checks/graph.ts) ---
  'mamgate.preflight.graph_permission_missing.app_error': {
    status: 502,
    message: "The Graph app's token does not carry the application permission(s) {{Permissions}}.",
    next_step:
      'In the Graph app registration (API permissions), add the Microsoft Graph application permissions named in the message and select Grant admin consent; new tokens carry them within minutes.',
  },
  'mamgate.preflight.app_protection_policy_missing.app_error': {
    status: 502,
    message: "No enabled Conditional Access policy requires app protection for the chat server's API app {{ClientId}}.",
    next_step:
      "In Entra ID > Conditional Access, turn on (not Report-only) a policy for the mobile users that targets the chat server's API app registration (or All resources) on iOS and Android and grants access with Require app protection policy. It is the control a modified mobile client cannot get around: Entra itself refuses the token to an app Intune does not protect, whatever the client reports.",
  },
  'mamgate.preflight.mam_consent_missing.app_error': {
    status: 502,
    message:
      'Mobile app {{ClientId}} has no admin-consented delegated permission to Microsoft Mobile Application Management, so its Intune enrollment fails with AADSTS650057.',
    next_step:
      "In the mobile app's registration (API permissions), add Microsoft Mobile Application Management > DeviceManagementManagedApps.ReadWrite (delegated) and select Grant admin consent for the tenant (consent by single users does not count).",
  },
  'mamgate.preflight.client_service_principal_missing.app_error': {
    status: 502,
    message: 'Mobile app {{ClientId}} has no service principal in this tenant: nobody in the tenant has consented to it.',
    next_step:
      'Have an administrator consent to the mobile app for the whole organisation (admin consent), then grant its Microsoft Mobile Application Management permission; or remove the id from IntuneSettings.AllowedClientIds.',
  },
  'mamgate.preflight.mam_service_principal_missing.app_error': {
    status: 502,
    message: 'The tenant has no service principal for Microsoft Mobile Application Management (app {{AppId}}), so Intune enrollment fails with AADSTS650052.',
    next_step:
      'Check that the tenant has an active Intune license; then create the service principal (New-MgServicePrincipal -AppId 0a5f63c0-b750-4f38-a71c-4fc0d58b89e2) and grant the mobile app registrations admin consent to it.',
  },
  'mamgate.preflight.tunnel_gateway_missing.app_error': {
    status: 502,
    message: 'Tunnel keys are configured, but the tenant has no service principal for Microsoft Tunnel Gateway (app {{AppId}}).',
    next_step:
      "Run Microsoft's mst-ca-provisioning.ps1 (or New-MgServicePrincipal -AppId 3678c9e9-9681-447a-974d-d19f668fcd88) so Conditional Access can target the Tunnel Gateway, then give the mobile app registration the delegated Microsoft Tunnel Gateway permission with admin consent.",
  },

  // --- Microsoft Graph (server/graph) ---
  // Token endpoint (client-credentials grant): the AADSTS code is named in the message; the secret never is.
  'mamgate.graph.token.invalid_secret.app_error': {
    status: 502,
    message: 'Microsoft Entra refused the Graph client secret of app {{ClientId}} (AADSTS{{Code}}).',
    next_step:
      'Copy the secret Value (not the Secret ID) of a current client secret from the app registration (Certificates & secrets) into the Graph settings.',
  },
  'mamgate.graph.token.expired_secret.app_error': {
    status: 502,
    message: 'The Graph client secret of app {{ClientId}} has expired (AADSTS{{Code}}).',
    next_step: 'Create a new client secret in the app registration (Certificates & secrets) and save its Value in the Graph settings.',
  },
  'mamgate.graph.token.app_not_found.app_error': {
    status: 502,
    message: 'Microsoft Entra does not know app {{ClientId}} in tenant {{TenantId}} (AADSTS{{Code}}).',
    next_step:
      "Check the Graph client ID (the app registration's Application (client) ID) and that the app is registered in, or consented to by, this tenant.",
  },
  'mamgate.graph.token.tenant_not_found.app_error': {
    status: 502,
    message: 'Microsoft Entra does not know tenant {{TenantId}} (AADSTS{{Code}}).',
    next_step: 'Check IntuneSettings.TenantId (the Directory (tenant) ID) and the Entra authority (sovereign clouds have their own).',
  },
  'mamgate.graph.token.refused.app_error': {
    status: 502,
    message: 'Microsoft Entra refused the Graph token request of app {{ClientId}}: {{Error}} (AADSTS{{Code}}).',
    next_step: 'Look the AADSTS code up in the Entra sign-in error reference and correct the Graph app registration or settings.',
  },
  'mamgate.graph.token.unavailable.app_error': {
    status: 503,
    message: 'No Graph token could be obtained from the Entra token endpoint: {{Reason}}.',
    next_step:
      'Check that this server reaches the Entra authority (DNS, proxy, firewall); the request can be retried, and Intune evidence is refused until a token is obtained.',
  },
  // Graph calls: the Graph error code is in the detail, never a token.
  'mamgate.graph.unavailable.app_error': {
    status: 503,
    message: 'Microsoft Graph did not answer {{Operation}}: {{Reason}}.',
    next_step:
      'Retry later; check that this server reaches Microsoft Graph and the Graph status page. Intune evidence is refused while Graph cannot be read.',
  },
  'mamgate.graph.unauthorized.app_error': {
    status: 502,
    message: 'Microsoft Graph refused the app token (to {{Operation}}), even after a fresh token.',
    next_step: 'Check that the Graph URL matches the Entra authority (same cloud) and that the app registration is enabled.',
  },
  'mamgate.graph.forbidden.app_error': {
    status: 502,
    message: 'The Graph app is not allowed to {{Operation}}.',
    next_step:
      'Grant the application permission named in the detail (for example DeviceManagementApps.Read.All, Policy.Read.All, Application.Read.All) to the Graph app and give admin consent; the tenant needs an active Intune license.',
  },
  'mamgate.graph.request_failed.app_error': {
    status: 502,
    message: 'Microsoft Graph refused {{Operation}} with HTTP {{Status}}.',
    next_step: 'Read the Graph error code in the detail; it names what Graph expected.',
  },
  'mamgate.graph.invalid_response.app_error': {
    status: 502,
    message: 'Microsoft Graph answered {{Operation}} with something mamgate cannot read: {{Reason}}.',
    next_step: 'Check that MAMGATE_GRAPH_URL points at Microsoft Graph (https://graph.microsoft.com or your national cloud), not a proxy page.',
  },
  // Intune evidence (server/enrollment/intune-evidence.ts): why Intune's records do not prove the app is protected.
  'mamgate.graph.evidence.none.app_error': {
    status: 403,
    message: 'Intune has no app protection registration for this user, so the mobile app is not known to be protected.',
    next_step:
      'User: open the mobile app, sign in with your work account and accept the Intune prompt, then try again. Operator: check that an app protection policy targets this user.',
  },
  'mamgate.graph.evidence.other_app.app_error': {
    status: 403,
    message: 'Intune protects other apps of this user, but not the chat mobile app ({{AppIds}}).',
    next_step:
      'User: sign in with the official chat mobile app. Operator: add the app ({{AppIds}}) to the app protection policy, or correct the configured mobile app ids.',
  },
  'mamgate.graph.evidence.no_policy.app_error': {
    status: 403,
    message: 'The mobile app is registered with Intune, but no app protection policy has been applied to it.',
    next_step:
      'Operator: assign an iOS/Android app protection policy that includes the chat mobile app to this user. User: reopen the app so it picks the policy up.',
  },
  'mamgate.graph.evidence.stale.app_error': {
    status: 403,
    message: 'The mobile app last checked in with Intune at {{LastSync}}, more than {{Hours}} hours ago.',
    next_step: 'User: open the mobile app while online so it checks in with Intune, then try again.',
  },
  'mamgate.graph.not_configured.app_error': {
    status: 503,
    message: 'Enrollment is verified through Microsoft Graph, but {{Missing}} is not set.',
    next_step:
      'Set GraphSettings (Enable, ClientId, ClientSecret or MAMGATE_GRAPH_CLIENT_SECRET) and IntuneSettings.TenantId, or choose client evidence (IntuneSettings.EnrollmentEvidence).',
  },
  'mamgate.graph.evidence.rooted_device.app_error': {
    status: 403,
    message: 'Intune flagged the mobile app as running on a jailbroken or rooted device.',
    next_step:
      'User: use the app on a device that is not jailbroken or rooted. Operator: if the flag is wrong, have the user reinstall the app and check the device in the Intune admin center (App protection status).',
  },
  'mamgate.graph.evidence.flagged.app_error': {
    status: 403,
    message: 'Intune flagged the mobile app registration: {{Reasons}}.',
    next_step: 'Operator: look the registration up in the Intune admin center (App protection status) and resolve the flag; the user cannot clear it.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorId = keyof typeof catalogue;

export function isErrorId(id: string): id is ErrorId {
  return Object.hasOwn(catalogue, id);
}

export function entryFor(id: ErrorId): CatalogueEntry {
  return catalogue[id];
}
