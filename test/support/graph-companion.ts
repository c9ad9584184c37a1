// A companion node with Graph evidence on one machine, as the Graph tests need it: the development issuer (Entra
// and Graph), dev-chat (the chat server) with a system admin, Intune and an Enterprise Advanced license in its own
// configuration and the operator's Graph app in the plugin's settings, and mamgate reading both (the Graph secret
// from the environment).
import { type DevChat, startDevChat } from '../../server/devchat/dev-chat.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { GRAPH_APP, SECRET, TENANT } from '../graph/fixtures.ts';
import { startTestService, type TestService } from './service.ts';

export interface GraphCompanion {
  idp: DevIdp;
  chat: DevChat;
  service: TestService;
  /** The chat-server token of the system admin mamgate connects with. */
  adminToken: string;
  close(): Promise<void>;
}

export async function startGraphCompanion(options: { apiAppId: string; prepareIdp?: (idp: DevIdp) => void }): Promise<GraphCompanion> {
  const idp = await startDevIdp();
  options.prepareIdp?.(idp);
  const chat = await startDevChat();
  const admin = chat.addUser({ username: 'sysadmin', email: 'admin@example.com', roles: 'system_user system_admin' });
  const adminToken = chat.addSession({ user_id: admin.id }).token;
  chat.patchConfig({
    IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: options.apiAppId, AuthService: 'office365' },
    Office365Settings: { Enable: true },
    // The operator's Graph app, saved in the System Console; its secret comes from the environment.
    PluginSettings: { Plugins: { mamgate: { 'graphsettings.enable': true, 'graphsettings.clientid': GRAPH_APP } } },
  });
  chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
  const service = await startTestService({
    env: {
      chatServerUrl: chat.url,
      chatServerToken: adminToken,
      chatServerPollMs: 200,
      entraAuthority: idp.url,
      graphUrl: idp.graphUrl,
      graphClientSecret: SECRET,
    },
  });
  return {
    idp,
    chat,
    service,
    adminToken,
    async close() {
      await service.close();
      await chat.stop();
      await idp.stop();
    },
  };
}
