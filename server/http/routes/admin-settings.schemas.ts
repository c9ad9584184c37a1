// Settings and license routes: their query parameters and answers. Request bodies are the domain's own shapes
// (settings/shape.ts, license/model.ts), which the services parse with.
import { z } from 'zod';
import { settingsShape } from '../../settings/shape.ts';
import { isoTime } from '../answer-schemas.ts';
import { wholeNumberParam } from '../query.ts';

export const settingsHistoryQuery = z.object({
  limit: wholeNumberParam(1, 200).default(20),
  before: wholeNumberParam(1, Number.MAX_SAFE_INTEGER).optional().meta({ description: 'Versions older than this one.' }),
});

const settingSource = z.enum(['chat_server', 'plugin_settings', 'mamgate', 'environment']);

export const effectiveSettingsAnswer = z.object({
  mode: z.enum(['standalone', 'companion']),
  version: z.number().int(),
  settings: settingsShape,
  sources: z.record(z.string(), settingSource),
  chat_server: z
    .object({ url: z.string(), reachable: z.boolean(), error_id: z.string().optional(), read_at: isoTime.optional() })
    .optional(),
});

export const settingsVersionAnswer = z.object({
  version: z.number().int(),
  settings: settingsShape,
  saved_by: z.string(),
  saved_at: z.union([isoTime, z.literal('')]).meta({ description: 'Empty for version 0 (the defaults, never saved).' }),
});

export const settingsHistoryAnswer = z.array(settingsVersionAnswer.extend({ saved_by_name: z.string().nullable() }));

/** The stored license, or {IsLicensed: false}; a full chat-server license's extra scalar fields as given. */
export const licenseAnswer = z.union([
  z.object({ IsLicensed: z.literal(false) }),
  z.looseObject({
    IsLicensed: z.literal(true),
    SkuShortName: z.string(),
    SkuName: z.string().optional(),
    ExpiresAt: z.number().int().optional().meta({ description: 'Milliseconds since the epoch.' }),
  }),
]);
