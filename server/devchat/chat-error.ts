// Errors answered the way Mattermost's AppError is (server/public/model/utils.go in mattermost/mattermost:
// {id, message, detailed_error, request_id, status_code}; web/handlers.go handleContextError wipes detailed_error
// unless ServiceSettings.EnableDeveloper). The messages are the English texts of server/i18n/en.json as far as
// they are known here: clients match on the id, never on the message.
const MESSAGES: Record<string, string> = {
  'api.context.session_expired.app_error': 'Invalid or expired session, please login again.',
  'api.context.token_provided.app_error': 'Session is not OAuth but token was provided in the query string.',
  'api.context.permissions.app_error': 'You do not have the appropriate permissions.',
  'api.context.404.app_error': 'Sorry, we could not find the page.',
  'api.context.invalid_param.app_error': 'Invalid {{Name}} parameter.',
  'api.context.invalid_url_param.app_error': 'Invalid or missing {{Name}} parameter in request URL.',
  'api.context.server_busy.app_error': 'Server is busy, non-critical services are temporarily unavailable.',
  'api.web_socket.connect.upgrade.app_error': 'Failed to upgrade websocket connection.',
  'app.session.get.app_error': 'We encountered an error finding the session.',
  'app.user.missing_account.const': 'Unable to find the user.',
  'api.web_socket_router.no_action.app_error': 'No websocket action.',
  'api.web_socket_router.bad_seq.app_error': 'Invalid sequence for WebSocket message.',
  'api.web_socket_router.not_authenticated.app_error': 'Not authenticated. Please log in and try again.',
  'api.web_socket_router.bad_action.app_error': 'Unknown WebSocket action.',
};

export interface ChatErrorBody {
  id: string;
  message: string;
  detailed_error: string;
  request_id?: string;
  status_code: number;
}

export class ChatError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    /** For developers (answered only with EnableDeveloper); never a token. */
    readonly detailed = '',
    readonly params: Record<string, string> = {},
  ) {
    super(id);
  }

  toBody(requestId: string | undefined, developer: boolean): ChatErrorBody {
    const template = MESSAGES[this.id] ?? this.id;
    const message = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => this.params[name] ?? '');
    // request_id is `omitempty` in AppError: WebSocket errors carry none.
    return {
      id: this.id,
      message,
      detailed_error: developer ? this.detailed : '',
      ...(requestId ? { request_id: requestId } : {}),
      status_code: this.status,
    };
  }
}

export const sessionExpired = (detailed = '') => new ChatError(401, 'api.context.session_expired.app_error', detailed);
export const permissionDenied = (permission: string) =>
  new ChatError(403, 'api.context.permissions.app_error', `permission=${permission}`);
export const invalidUrlParam = (name: string) => new ChatError(400, 'api.context.invalid_url_param.app_error', '', { Name: name });
export const invalidParam = (name: string) => new ChatError(400, 'api.context.invalid_param.app_error', '', { Name: name });
