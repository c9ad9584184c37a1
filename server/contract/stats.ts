// The answers of the charts' aggregate endpoints (admin/stats/*), shared by the server and the admin pages. No imports.

export type StatsKind = 'enrollments' | 'sign-ins' | 'gate-refusals';
export type StatsBucket = 'hour' | 'day';

export interface StatsSeries {
  /** Enrollments: the status; sign-ins: the outcome; gate refusals: refused. */
  group: string;
  /** Enrollments: the classified cause; sign-ins and gate refusals: the refusal's catalogue id ('' for a success). */
  key: string;
  /** One count per bucket, in the order of buckets. */
  counts: number[];
  total: number;
}

export interface StatsAnswer {
  bucket: StatsBucket;
  since: string;
  until: string;
  /** Each bucket's start (UTC), oldest first. */
  buckets: string[];
  /** Largest total first. */
  series: StatsSeries[];
  total: number;
}
