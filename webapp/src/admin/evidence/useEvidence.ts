// The evidence list: filters applied on submit, pages walked with the service's `before` cursor, and "Verify
// now" per user (a success reads the page again, to show the new evidence).
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, errorText, type MamgateApi } from '../../api/client.ts';
import type { EvidenceItem, EvidenceSource, EvidenceState, VerifiedUser } from '../../api/types.ts';

const PAGE_SIZE = 25;

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
  const [draft, setDraft] = useState<EvidenceFilter>({ state: '', source: '', user: '' });
  const [filter, setFilter] = useState<EvidenceFilter>(draft);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [reload, setReload] = useState(0);
  const [items, setItems] = useState<EvidenceItem[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [results, setResults] = useState<Record<string, VerifyResult>>({});
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    void reload; // read again after a successful "Verify now"
    api
      .evidence({ ...filter, user: filter.user.trim(), limit: PAGE_SIZE, before })
      .then((page) => {
        if (!current) return;
        setItems(page.items);
        setNextBefore(page.next_before);
      })
      .catch((caught) => current && setError(errorText(caught)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, filter, before, reload]);

  async function verify(item: EvidenceItem) {
    setResults((r) => ({ ...r, [item.user_id]: { kind: 'running' } }));
    try {
      const answer = await api.verifyEvidence(item.user_id);
      setResults((r) => ({ ...r, [item.user_id]: { kind: 'done', answer } }));
      setReload((n) => n + 1);
    } catch (caught) {
      setResults((r) => ({ ...r, [item.user_id]: verifyError(caught) }));
    }
  }

  return {
    draft,
    setDraft,
    submit(event: FormEvent) {
      event.preventDefault();
      setFilter(draft);
      setCursors([undefined]);
    },
    items,
    error,
    loading,
    results,
    verify,
    page: cursors.length,
    hasNewer: cursors.length > 1,
    hasOlder: nextBefore !== null,
    newer: () => setCursors((c) => c.slice(0, -1)),
    older: () => nextBefore && setCursors((c) => [...c, nextBefore]),
  };
}
