// The chat-server plugin bundle (webapp/dist/main.js): registers the System Console components for the custom
// settings of plugin.json. React and the host's libraries are externals (window.React…), reference B5.
import { id as PLUGIN_ID } from '../../../plugin.json';
import type { CustomSettingProps } from './custom-setting.ts';
import { type HostStore, setHostStore } from './host.ts';
import { MamgateIdentityReport } from './IdentityReportSetting.tsx';
import { MamgateStatusPanel } from './StatusPanel.tsx';
import { addStyles, removeStyles } from './styles.ts';

/** The part of the host's plugin registry this plugin uses (starter-template types/mattermost-webapp). */
export interface PluginRegistry {
  registerAdminConsoleCustomSetting(
    key: string,
    component: (props: CustomSettingProps) => unknown,
    options?: { showTitle?: boolean },
  ): void;
}

/** The custom settings of plugin.json and the components that draw them. */
export const CUSTOM_SETTINGS = ['StatusPanel', 'IdentityReport'] as const;

export class Plugin {
  initialize(registry: PluginRegistry, store?: HostStore): void {
    setHostStore(store);
    addStyles(typeof document === 'undefined' ? undefined : document);
    registry.registerAdminConsoleCustomSetting('StatusPanel', MamgateStatusPanel, { showTitle: true });
    registry.registerAdminConsoleCustomSetting('IdentityReport', MamgateIdentityReport, { showTitle: true });
  }

  uninitialize(): void {
    removeStyles(typeof document === 'undefined' ? undefined : document);
  }
}

declare global {
  interface Window {
    registerPlugin(id: string, plugin: Plugin): void;
  }
}

window.registerPlugin(PLUGIN_ID, new Plugin());
