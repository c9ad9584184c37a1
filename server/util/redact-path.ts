// A request path as it may be logged or echoed in an error message: path segments shaped like a credential (a
// mamgate session or admin token, a JWS such as an Entra access token, or any long base64url run) are replaced,
// so a client that puts a token in a URL by mistake does not get it written to the log or reflected back.
const TOKEN_SHAPED = /mg[sa]_[A-Za-z0-9_-]+|[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{40,}/g;

export function redactPath(path: string): string {
  return path.replace(TOKEN_SHAPED, '[redacted]');
}
