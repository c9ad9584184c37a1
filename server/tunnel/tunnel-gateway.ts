/**
 * "Microsoft Tunnel Gateway", provisioned by mst-ca-provisioning.ps1 so Conditional Access can target it
 * (/work/shared/reference/companion-facts.md, tunnel-and-plugin.md; MicrosoftDocs/memdocs
 * microsoft-tunnel-conditional-access.md). An app id: its service principal is looked up by it.
 */
export const TUNNEL_GATEWAY_APP_ID = '3678c9e9-9681-447a-974d-d19f668fcd88';
