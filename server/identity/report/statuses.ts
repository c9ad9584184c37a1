// The statuses of the identity-alignment report. No imports: the admin pages use this module too.
export const ALIGNMENT_STATUSES = [
  'aligned',
  'mismatch',
  'missing_source',
  'duplicate_object_id',
  'unsupported_attribute',
  'not_in_directory',
] as const;
export type AlignmentStatus = (typeof ALIGNMENT_STATUSES)[number];
