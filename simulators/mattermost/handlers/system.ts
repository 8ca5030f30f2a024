import { AppError, invalidUrlParam, permissionError } from '../app-error';
import { hasSystemPermission } from '../permissions';
import { ok, publicRoute, sessionRoute, type RequestContext, type Route, type SessionContext } from '../router';

export const SERVER_VERSION = '10.11.0';
export const BUILD_NUMBER = '17220145291';

function ping(ctx: RequestContext) {
  const body: Record<string, unknown> = {
    status: 'OK',
    ActiveSearchBackend: 'database',
    AndroidLatestVersion: '',
    AndroidMinVersion: '',
    IosLatestVersion: '',
    IosMinVersion: '',
  };
  if (ctx.query.get('get_server_status') === 'true') {
    body.database_status = 'OK';
    body.filestore_status = 'OK';
  }
  return ok(body);
}

/** GET /config needs one of the sysconsole_read_* permissions (System Admin, or the read-only admin roles). */
function getConfig(ctx: SessionContext) {
  if (!hasSystemPermission(ctx.user, 'sysconsole_read')) throw permissionError(ctx.user.id, 'sysconsole_read_*');
  const s = ctx.settings;
  const rl = ctx.rateLimit;
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-cache, no-store, must-revalidate' },
    body: {
      ServiceSettings: {
        SiteURL: s.siteUrl,
        EnableBotAccountCreation: s.enableBotAccountCreation,
        EnableUserAccessTokens: s.enableUserAccessTokens,
        EnableDeveloper: s.enableDeveloper,
        MaximumPayloadSizeBytes: s.maximumPayloadSizeBytes,
        PostEditTimeLimit: -1,
        EnablePostUsernameOverride: false,
        EnablePostIconOverride: false,
        AllowedUntrustedInternalConnections: '',
        OutgoingIntegrationRequestsTimeout: 30,
        DisableBotsWhenOwnerIsDeactivated: true,
        ExperimentalEnableHardenedMode: false,
      },
      TeamSettings: { SiteName: 'Mattermost', RestrictDirectMessage: 'any', MaxUsersPerTeam: 50 },
      PrivacySettings: { ShowEmailAddress: s.showEmailAddress, ShowFullName: true },
      RateLimitSettings: {
        Enable: rl !== null,
        PerSec: rl?.perSecond ?? 10,
        MaxBurst: rl?.burst ?? 100,
        MemoryStoreSize: 10000,
        VaryByRemoteAddr: true,
        VaryByUser: rl?.varyByUser ?? false,
        VaryByHeader: '',
      },
    },
  };
}

/** GET /config/client?format=old: anyone; without a session only the limited set. Values are strings. */
function getClientConfig(ctx: RequestContext) {
  const format = ctx.query.get('format') ?? '';
  if (format === '') throw new AppError('api.config.client.old_format.app_error', 501);
  if (format !== 'old') throw invalidUrlParam('format');
  const s = ctx.settings;
  const limited: Record<string, string> = {
    Version: SERVER_VERSION,
    BuildNumber: BUILD_NUMBER,
    SiteName: 'Mattermost',
    SiteURL: s.siteUrl,
    DiagnosticsEnabled: 'false',
  };
  if (!ctx.user) return ok(limited);
  return ok({
    ...limited,
    MaxPostSize: String(s.maxPostSize),
    EnableBotAccountCreation: String(s.enableBotAccountCreation),
    EnableUserAccessTokens: String(s.enableUserAccessTokens),
    ShowEmailAddress: String(s.showEmailAddress),
  });
}

export const systemRoutes: Route[] = [
  publicRoute('GET', '/system/ping', ping),
  sessionRoute('GET', '/config', getConfig),
  publicRoute('GET', '/config/client', getClientConfig),
];
