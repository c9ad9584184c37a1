// The settings section that says which chat server this node is the companion of. It lives with the connection
// that reads it, and the settings model includes it, so the chat server's room does not import the settings room.
export interface ChatServerSettings {
  Url: string;
  /** A system admin's personal access token or a bot token with the system admin role. Write-only. */
  AdminToken: string;
}
