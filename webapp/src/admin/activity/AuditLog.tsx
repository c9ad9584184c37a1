// The audit log, newest first, each entry as a sentence, filtered by any combination of action, actor, user and
// time range.
import { useState } from 'react';
import type { MamgateApi } from '../../api/client.ts';
import type { AuditItem } from '../../api/types.ts';
import { Results } from '../components/Results.tsx';
import { usePaged } from '../components/paged.ts';
import { type AuditDraft, AuditFilters, auditFilterOf, EMPTY_AUDIT_DRAFT } from './AuditFilters.tsx';
import { AuditRow } from './AuditRow.tsx';

const PAGE_SIZE = 25;

export function AuditLog({ api }: { api: MamgateApi }) {
  const [load] = useState(
    () => (draft: AuditDraft, before: number | undefined) => api.audit({ ...auditFilterOf(draft), limit: PAGE_SIZE, before }),
  );
  const paged = usePaged<AuditItem, AuditDraft>(load, EMPTY_AUDIT_DRAFT);
  return (
    <section className="activity-section" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <AuditFilters onApply={paged.apply} />
      <Results
        label="Audit log"
        paged={paged}
        empty="No audit entry matches these filters."
        head={['Time', 'What happened', 'User', 'Outcome']}
        row={(item) => <AuditRow key={item.id} item={item} />}
      />
    </section>
  );
}
