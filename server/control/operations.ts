// What the CLI can ask for. The same functions run either inside the running service (through the control
// socket) or in the CLI's own process when no service runs, so both paths behave alike.
import { verifyUserEvidence } from '../enrollment/verify-user.ts';
import { importJobStatus, startImportJob } from '../users/import-jobs.ts';
import { runPreflight } from '../preflight/run-preflight.ts';
import { cancelReport, reportRows, reportStatus, startIdentityReport } from '../identity/report/report-jobs.ts';
import { formatOf } from '../users/read-records.ts';
import { syncDirectory, syncModeOf } from '../identity/ldap/sync.ts';
import { createAdminToken, listAdminTokens, revokeAdminToken } from '../admin/tokens.ts';
import { AppError } from '../errors/app-error.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { currentLicense, saveLicense } from '../license/service.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { saveSettings, settingsForDisplay } from '../settings/service.ts';
import { validateTunnelRequest } from '../tunnel/service.ts';

type Args = Record<string, unknown>;
type Operation = (ctx: ServiceContext, args: Args, actor: Actor) => Promise<unknown>;

function text(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') {
    throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `missing ${name}` } });
  }
  return value;
}

export const operations: Record<string, Operation> = {
  'admin.token.create': (ctx, args, actor) => createAdminToken(ctx.db, typeof args.name === 'string' ? args.name : '', actor),
  'admin.token.list': (ctx) => listAdminTokens(ctx.db),
  'admin.token.revoke': async (ctx, args, actor) => {
    await revokeAdminToken(ctx.db, text(args, 'id'), actor);
    return { revoked: args.id };
  },
  'settings.get': (ctx) => settingsForDisplay(ctx),
  'settings.set': (ctx, args, actor) => saveSettings(ctx, args.settings, actor),
  'license.get': (ctx) => currentLicense(ctx.db),
  'license.set': (ctx, args, actor) => saveLicense(ctx, args.license, actor),
  migrate: async (ctx) => ({ applied: await migrateToLatest(ctx.db) }),
  preflight: (ctx) => runPreflight(ctx),
  'ldap.sync': (ctx, args, actor) => syncDirectory(ctx, actor, { mode: syncModeOf(args.mode) }),
  'tunnel.validate': (ctx, args) => validateTunnelRequest(ctx.db, ctx.entraAuthority, args.input),
  'report.identity.start': async (ctx, _args, actor) => {
    const { done: _done, ...run } = await startIdentityReport(ctx, actor);
    return run;
  },
  'report.identity.status': (ctx, args) => reportStatus(ctx, text(args, 'id')),
  'report.identity.cancel': (ctx, args, actor) => cancelReport(ctx, text(args, 'id'), actor),
  'report.identity.rows': (ctx, args) =>
    reportRows(ctx, text(args, 'id'), {
      afterSeq: typeof args.after === 'number' ? args.after : undefined,
      status: typeof args.status === 'string' ? args.status : undefined,
      limit: 1000,
    }),
  // The CLI and the service run as the same OS user on one machine, so the service may read the file itself.
  'enrollment.verify': (ctx, args) => verifyUserEvidence(ctx, text(args, 'user')),
  // The import runs as a job the CLI follows for its progress (users/import-jobs.ts).
  'users.import.start': async (ctx, args, actor) => {
    const path = text(args, 'path');
    return startImportJob(ctx, path, formatOf(typeof args.format === 'string' ? args.format : path), actor);
  },
  'users.import.status': async (_ctx, args) => importJobStatus(text(args, 'id')),
};

export async function runOperation(ctx: ServiceContext, name: string, args: Args, actor: Actor): Promise<unknown> {
  const operation = operations[name];
  if (!operation) throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `unknown operation ${name}` } });
  return operation(ctx, args, actor);
}
