import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { useT } from '../../i18n';
import type { Precinct } from '../../types';

export interface PrecinctChoice {
  region: string;
  number: string;
  label?: string;
}

interface Props {
  slug: string;
  value: PrecinctChoice;
  onChange: (v: PrecinctChoice) => void;
}

/** Region and number fields, with matching precincts looked up as the observer types. */
export function PrecinctFinder({ slug, value, onChange }: Props) {
  const t = useT();
  const [found, setFound] = useState<Precinct[] | null>(null);
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    const number = value.number.trim();
    if (!slug || !number) {
      setFound(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      api.findPrecincts(slug, value.region.trim(), number).then(
        (r) => {
          if (!alive) return;
          setOffline(false);
          setFound(r.items);
        },
        () => {
          if (!alive) return;
          setOffline(true);
          setFound(null);
        },
      );
    }, 300);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [slug, value.region, value.number]);

  const exact = found?.find((p) => p.region === value.region.trim() && p.number === value.number.trim());
  const pick = (p: Precinct) =>
    onChange({ region: p.region, number: p.number, label: [p.district, p.territory].filter(Boolean).join(', ') });

  return (
    <fieldset class="stack">
      <legend>{t('report.precinct')}</legend>
      <div class="field">
        <label for="precinct-number">{t('report.number')}</label>
        <input
          id="precinct-number"
          inputMode="numeric"
          autoComplete="off"
          required
          value={value.number}
          onInput={(e) => onChange({ ...value, number: e.currentTarget.value, label: undefined })}
        />
      </div>
      <div class="field">
        <label for="precinct-region">{t('report.region')}</label>
        <input
          id="precinct-region"
          list="precinct-regions"
          autoComplete="off"
          required
          value={value.region}
          onInput={(e) => onChange({ ...value, region: e.currentTarget.value, label: undefined })}
        />
        <datalist id="precinct-regions">
          {[...new Set(found?.map((p) => p.region) ?? [])].map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </div>
      {exact && (
        <p class="ok-text" role="status">
          ✓ {t('report.precinctFound', { region: exact.region, number: exact.number })}
          {exact.district ? ` (${exact.district})` : ''}
        </p>
      )}
      {!exact && found && found.length > 0 && (
        <div class="stack-sm">
          <p class="hint">{t('report.pickPrecinct')}</p>
          <ul class="choices">
            {found.slice(0, 20).map((p) => (
              <li key={p.id}>
                <button type="button" class="choice" onClick={() => pick(p)}>
                  {p.region}, №{p.number}
                  {p.district ? ` — ${p.district}` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!exact && found && found.length === 0 && <p class="warn-text">{t('report.precinctNotFound')}</p>}
      {offline && <p class="hint">{t('report.precinctOffline')}</p>}
    </fieldset>
  );
}
