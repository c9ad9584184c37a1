// Where the test suite finds PostgreSQL. `npm test`'s pretest step may have started a throwaway cluster and
// written its URL here, because environment variables do not pass from one npm script to the next.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const TEST_OUTPUT_DIR = path.resolve('test-output');
const STATE_FILE = path.join(TEST_OUTPUT_DIR, 'test-env.json');
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function testStateFile(): string {
  return STATE_FILE;
}

export function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (existsSync(STATE_FILE)) {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { databaseUrl?: string };
    if (state.databaseUrl) return state.databaseUrl;
  }
  return DEFAULT_TEST_DATABASE_URL;
}
