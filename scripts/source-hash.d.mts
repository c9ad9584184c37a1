/** See source-hash.mjs. */
import type { Hash } from 'node:crypto';
export function filesUnder(dir: string): string[];
export function hashFiles(root: string, files: string[]): Hash;
