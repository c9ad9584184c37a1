// Answers of the chat-server-compatible pre-login routes: Mattermost's client config and license (format=old),
// every value a string.
import { z } from 'zod';

export const clientConfigAnswer = z.record(z.string(), z.string()).meta({ description: 'Client configuration, format=old: every value a string.' });
export const clientLicenseAnswer = z.record(z.string(), z.string()).meta({ description: 'Client license, format=old: every value a string.' });
