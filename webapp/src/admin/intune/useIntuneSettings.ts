// The Intune page's state: the settings and license as loaded, the form, and saving with the service's field
// errors (the summary takes focus after a refusal so the problems are read out and reachable from the keyboard).
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorText, type FieldErrorBody, type MamgateApi } from '../../api/client.ts';
import type { License, Settings } from '../../api/types.ts';
import { useLeaveGuard } from '../components/useLeaveGuard.ts';
import { type FormState, type FormValue, toForm, toUpdate } from './settings-form.ts';

export interface LoadedSettings {
  settings: Settings;
  version: number;
  license: License;
}

function refusalErrors(caught: unknown): { errors: FieldErrorBody[]; status: string } {
  if (caught instanceof ApiError && caught.body && caught.status === 400) {
    const body = caught.body;
    return {
      errors:
        caught.fieldErrors.length > 0
          ? caught.fieldErrors
          : [{ id: body.id, field: body.field ?? '', message: body.message, next_step: body.next_step ?? '' }],
      status: 'Not saved: the service refused the settings. Nothing was changed.',
    };
  }
  return {
    errors: [{ id: '', field: '', message: errorText(caught), next_step: caught instanceof ApiError ? caught.nextStep : '' }],
    status: 'Not saved.',
  };
}

export function useIntuneSettings(api: MamgateApi) {
  const [loaded, setLoaded] = useState<LoadedSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState>({});
  const [errors, setErrors] = useState<FieldErrorBody[]>([]);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const [{ settings, version }, license] = await Promise.all([api.getSettings(), api.getLicense()]);
      setLoaded({ settings, version, license });
      setForm(toForm(settings));
      setErrors([]);
    } catch (caught) {
      setLoadError(errorText(caught));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = loaded !== null && JSON.stringify(form) !== JSON.stringify(toForm(loaded.settings));
  useLeaveGuard(dirty, 'The Microsoft Intune settings have unsaved changes. Leave without saving?');

  function set(key: string, value: FormValue) {
    setForm((current) => ({ ...current, [key]: value }));
    setStatus('');
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!loaded) return;
    setSaving(true);
    setStatus('Saving…');
    try {
      const saved = await api.saveSettings(toUpdate(form, loaded.settings));
      setLoaded({ ...loaded, settings: saved.settings, version: saved.version });
      setForm(toForm(saved.settings));
      setErrors([]);
      setStatus(`Saved: settings version ${saved.version}.`);
    } catch (caught) {
      const refused = refusalErrors(caught);
      setErrors(refused.errors);
      setStatus(refused.status);
      setTimeout(() => summaryRef.current?.focus(), 0);
    } finally {
      setSaving(false);
    }
  }

  function discard() {
    if (!loaded) return;
    setForm(toForm(loaded.settings));
    setErrors([]);
    setStatus('Changes discarded.');
  }

  return { loaded, loadError, load, form, errors, status, saving, dirty, summaryRef, set, save, discard };
}
