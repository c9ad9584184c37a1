// The evidence list (components/paged.ts: filters applied on submit, pages walked with the service's `before`
// cursor) and "Verify now" per user: a success reads the page again, to show the new evidence.
import { type FormEvent, useCallback, useState } from 'react';
import { ApiError, errorText, type MamgateApi } from '../../api/client.ts';
import type { EvidenceItem, EvidenceSource, EvidenceState, VerifiedUser } from '../../api/types.ts';
import { usePaged } from '../components/paged.ts';

const PAGE_SIZE = 25;
const NO_FILTER: EvidenceFilter = { state: '', source: '', user: '' };

export interface EvidenceFilter {
  state: '' | EvidenceState;
  source: '' | EvidenceSource;
  user: string;
}

export type VerifyResult =
  | { kind: 'running' }
  | { kind: 'done'; answer: VerifiedUser }
  | { kind: 'error'; message: string; nextStep: string; id: string | null };

function verifyError(caught: unknown): VerifyResult {
  return caught instanceof ApiError
    ? { kind: 'error', message: caught.message, nextStep: caught.nextStep, id: caught.body?.id ?? null }
    : { kind: 'error', message: errorText(caught), nextStep: '', id: null };
}

export function useEvidence(api: MamgateApi) {
  const [draft, setDraft] = useState<EvidenceFilter>(NO_FILTER);
  const load = useCallback(
    (filter: EvidenceFilter, before: string | undefined) => api.evidence({ ...filter, user: filter.user.trim(), limit: PAGE_SIZE, before }),
    [api],
  );
  const paged = usePaged<EvidenceItem, EvidenceFilter, string>(load, NO_FILTER);
  const [results, setResults] = useState<Record<string, VerifyResult>>({});

  async function verify(item: EvidenceItem) {
    setResults((r) => ({ ...r, [item.user_id]: { kind: 'running' } }));
    try {
      const answer = await api.verifyEvidence(item.user_id);
      setResults((r) => ({ ...r, [item.user_id]: { kind: 'done', answer } }));
      paged.reload();
    } catch (caught) {
      setResults((r) => ({ ...r, [item.user_id]: verifyError(caught) }));
    }
  }

  return {
    draft,
    setDraft,
    submit(event: FormEvent) {
      event.preventDefault();
      paged.apply(draft);
    },
    items: paged.answer?.items ?? null,
    error: paged.error,
    loading: paged.loading,
    results,
    verify,
    page: paged.page,
    hasNewer: paged.page > 1,
    hasOlder: (paged.answer?.next_before ?? null) !== null,
    newer: paged.newer,
    older: paged.older,
  };
}
