/** Server settings the simulator honours; each names the config.json setting it stands for. */
export interface MattermostSimulatorSettings {
  /** ServiceSettings.EnableBotAccountCreation. Real default false; the simulator starts set up as the guide says (true). */
  enableBotAccountCreation: boolean;
  /** ServiceSettings.EnableUserAccessTokens. Real default false; simulator default true. Bots are exempt either way. */
  enableUserAccessTokens: boolean;
  /** PrivacySettings.ShowEmailAddress (default true): off, only admins may look users up by email. */
  showEmailAddress: boolean;
  /** ServiceSettings.EnableDeveloper (default false): only then does an error body keep its detailed_error. */
  enableDeveloper: boolean;
  /** The computed MaxPostSize in runes (16383 on current schemas). */
  maxPostSize: number;
  /** ServiceSettings.MaximumPayloadSizeBytes (default 300000): larger bodies get 413. */
  maximumPayloadSizeBytes: number;
  /** ServiceSettings.SiteURL. */
  siteUrl: string;
}

export const DEFAULT_SETTINGS: MattermostSimulatorSettings = {
  enableBotAccountCreation: true,
  enableUserAccessTokens: true,
  showEmailAddress: true,
  enableDeveloper: false,
  maxPostSize: 16383,
  maximumPayloadSizeBytes: 300000,
  siteUrl: '',
};
