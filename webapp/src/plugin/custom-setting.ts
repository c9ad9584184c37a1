// The props the System Console passes to a component registered with registerAdminConsoleCustomSetting
// (mattermost-plugin-demo admin_settings/custom_setting.jsx).
import type { ReactNode } from 'react';

export interface CustomSettingProps {
  id: string;
  label?: ReactNode;
  helpText?: ReactNode;
  value?: unknown;
  disabled?: boolean;
  config?: unknown;
  license?: Record<string, string>;
  setByEnv?: boolean;
  onChange?: (id: string, value: unknown) => void;
  setSaveNeeded?: () => void;
  registerSaveAction?: (action: () => Promise<unknown>) => void;
  unRegisterSaveAction?: (action: () => Promise<unknown>) => void;
}
