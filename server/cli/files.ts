// The files commands take, read or written by the CLI itself: a missing or unreadable one is a file error from the
// catalogue (exit 1), not a usage error (exit 2): the command was written right, the path is what is wrong.
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors/app-error.ts';

function fileError(file: string, access: 'read' | 'written', error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    // For output the missing part is the folder; for input, the file.
    return new AppError('mamgate.cli.file_not_found.app_error', { params: { Path: access === 'written' ? path.dirname(file) : file }, cause: error });
  }
  const reason = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (error as Error).message);
  return new AppError('mamgate.cli.file_access.app_error', { params: { Path: file, Access: access, Reason: reason }, cause: error });
}

/** The text of FILE, or of standard input for "-". */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw fileError(file, 'read', error);
  }
}

/** The absolute path of a file another process (the service) will read, once it is known to be a readable file. */
export function existingFile(file: string): { absolute: string; size: number } {
  const absolute = path.resolve(file);
  try {
    const stat = statSync(absolute);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    closeSync(openSync(absolute, 'r')); // readable by this OS user, as the service (the same user) will need
    return { absolute, size: stat.size };
  } catch (error) {
    throw fileError(file, 'read', error);
  }
}

/** A file descriptor open for writing FILE (created or truncated), so a bad path fails before any work. */
export function openOutputFile(file: string): number {
  try {
    return openSync(file, 'w');
  } catch (error) {
    throw fileError(file, 'written', error);
  }
}
