// Enrollment evidence: each protected chat user's evidence, newest first — who (username and email), its state,
// whether the server read it from Microsoft Graph or only the mobile client reported it, why it does not open the
// gate (the catalogue's message and next step), the Intune registration and how long ago it synced, until when
// it holds — filtered by state and source, paged with the service's `before` cursor, and a "Verify now" per user
// that asks Graph at once and shows the outcome or the service's error with its next step.
import { ENROLLMENT_STATES } from '../../../../server/contract/enrollment.ts';
import type { MamgateApi } from '../../api/client.ts';
import type { EvidenceSource } from '../../api/types.ts';
import { ApplyFilters, SelectFilter, TextFilter } from '../components/Filters.tsx';
import { EvidenceRows } from '../evidence/EvidenceRows.tsx';
import { HEAD, SOURCE_LABELS } from '../evidence/labels.ts';
import { useEvidence } from '../evidence/useEvidence.ts';

export function EvidencePage({ api }: { api: MamgateApi }) {
  const evidence = useEvidence(api);
  return (
    <>
      <h1 tabIndex={-1}>Enrollment evidence</h1>
      <p className="lead">
        Each protected chat user&apos;s Intune enrollment evidence. <strong>Verified by Microsoft Graph</strong> means mamgate read
        the user&apos;s app registration from Intune itself; a <strong>client report (unverified)</strong> is only what the
        mobile app said about itself.
      </p>
      <form className="filters" onSubmit={evidence.submit} aria-label="Filter evidence">
        <SelectFilter
          id="evidence-state"
          label="State"
          value={evidence.draft.state}
          anyLabel="Any state"
          options={ENROLLMENT_STATES.map((s) => [s, s] as const)}
          onChange={(state) => evidence.setDraft({ ...evidence.draft, state })}
        />
        <SelectFilter
          id="evidence-source"
          label="Source"
          value={evidence.draft.source}
          anyLabel="Any source"
          options={(Object.keys(SOURCE_LABELS) as EvidenceSource[]).map((s) => [s, SOURCE_LABELS[s]] as const)}
          onChange={(source) => evidence.setDraft({ ...evidence.draft, source })}
        />
        <TextFilter
          id="evidence-user"
          label="User"
          value={evidence.draft.user}
          placeholder="User ID, username or email"
          onChange={(user) => evidence.setDraft({ ...evidence.draft, user })}
        />
        <ApplyFilters />
      </form>
      {evidence.error ? (
        <div className="alert alert-error" role="alert">
          <p>{evidence.error}</p>
        </div>
      ) : null}
      {evidence.items && evidence.items.length === 0 ? <p>No evidence matches these filters.</p> : null}
      {evidence.items && evidence.items.length > 0 ? (
        <section className="table-wrap" aria-label="Evidence table">
          <table className="data-table card-table evidence-table">
            <thead>
              <tr>
                {HEAD.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {evidence.items.map((item) => (
                <EvidenceRows key={item.user_id} item={item} result={evidence.results[item.user_id]} onVerify={() => void evidence.verify(item)} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <div className="pager">
        <button type="button" className="button" disabled={!evidence.hasNewer || evidence.loading} onClick={evidence.newer}>
          Newer
        </button>
        <span className="muted" aria-live="polite">
          {evidence.loading ? 'Loading…' : evidence.items ? `Page ${evidence.page}` : ''}
        </span>
        <button type="button" className="button" disabled={!evidence.hasOlder || evidence.loading} onClick={evidence.older}>
          Older
        </button>
      </div>
    </>
  );
}
