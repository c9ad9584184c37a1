// The SAML ACS: its form body and its JSON answer (a browser gets an HTML page instead).
import { z } from 'zod';

export const samlAcsForm = z.object({
  SAMLResponse: z.string().min(1, 'missing').meta({ description: 'The base64 SAML response (HTTP-POST binding).' }),
  RelayState: z.string().optional(),
});

export const samlSignedInAnswer = z.object({
  user_id: z.string(),
  username: z.string(),
  email: z.string(),
  auth_service: z.string(),
  tenant_id: z.string(),
  object_id: z.string(),
  solicited: z.boolean(),
  user_created: z.boolean(),
  user_updated: z.array(z.string()),
});
