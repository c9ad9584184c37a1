import { type ErrorId, entryFor, type MamError } from './catalogue.ts';

export type ErrorParams = Record<string, string | number>;

/** One problem with one field, for forms that show every problem next to its field. */
export interface FieldError {
  id: ErrorId;
  field: string;
  params?: ErrorParams;
}

export interface AppErrorBody {
  id: ErrorId;
  message: string;
  detailed_error: string;
  request_id: string;
  status_code: number;
  mam_error?: MamError;
  next_step: string;
  field?: string;
  field_errors?: { id: ErrorId; field: string; message: string; next_step: string }[];
}

function render(template: string, params: ErrorParams = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

export function messageFor(id: ErrorId, params?: ErrorParams): string {
  return render(entryFor(id).message, params);
}

/**
 * An error from the catalogue. `detailed` is for operators (logged, and answered as detailed_error); it must never
 * hold a token, password or key — callers pass the reason, never the secret.
 */
export class AppError extends Error {
  readonly id: ErrorId;
  readonly params: ErrorParams;
  readonly detailed: string;
  readonly field?: string;
  readonly fieldErrors: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    id: ErrorId,
    options: {
      params?: ErrorParams;
      detailed?: string;
      field?: string;
      fieldErrors?: FieldError[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(messageFor(id, options.params), { cause: options.cause });
    this.name = 'AppError';
    this.id = id;
    this.params = options.params ?? {};
    this.detailed = options.detailed ?? '';
    this.field = options.field;
    this.fieldErrors = options.fieldErrors ?? [];
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return entryFor(this.id).status;
  }

  /** The field errors as one AppError: the first in rule order leads, all are listed. */
  static fromFieldErrors(errors: FieldError[]): AppError {
    const first = errors[0];
    if (!first) throw new Error('fromFieldErrors needs at least one error');
    return new AppError(first.id, { params: first.params, field: first.field, fieldErrors: errors });
  }

  toBody(requestId: string): AppErrorBody {
    const entry = entryFor(this.id);
    const body: AppErrorBody = {
      id: this.id,
      message: this.message,
      detailed_error: this.detailed,
      request_id: requestId,
      status_code: entry.status,
      next_step: render(entry.next_step, this.params),
    };
    if (entry.mam_error) body.mam_error = entry.mam_error;
    if (this.field) body.field = this.field;
    if (this.fieldErrors.length > 0) {
      body.field_errors = this.fieldErrors.map((e) => ({
        id: e.id,
        field: e.field,
        message: messageFor(e.id, e.params),
        next_step: render(entryFor(e.id).next_step, e.params),
      }));
    }
    return body;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
