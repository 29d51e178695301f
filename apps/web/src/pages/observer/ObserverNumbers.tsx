import { useT } from '../../i18n';
import type { ProtocolLine } from '../../types';

interface Props {
  lines: ProtocolLine[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}

/** Optional protocol numbers as the observer reads them; any subset of lines. */
export function ObserverNumbers({ lines, values, onChange }: Props) {
  const t = useT();
  const filled = Object.values(values).filter((v) => v.trim() !== '').length;
  return (
    <details class="numbers">
      <summary>
        {t('report.numbers')} {filled > 0 ? `(${filled})` : ''}
      </summary>
      <p class="hint">{t('report.numbersHint')}</p>
      <div class="lines">
        {lines.map((line) => {
          const id = `obs-line-${line.n}`;
          const v = values[String(line.n)] ?? '';
          const bad = v !== '' && !/^\d{1,8}$/.test(v.trim());
          return (
            <div class="line-field" key={line.n}>
              <label for={id}>
                {line.n}. {line.label}
              </label>
              <input
                id={id}
                inputMode="numeric"
                pattern="[0-9]*"
                autoComplete="off"
                value={v}
                aria-invalid={bad}
                onInput={(e) => onChange({ ...values, [String(line.n)]: e.currentTarget.value })}
              />
            </div>
          );
        })}
      </div>
    </details>
  );
}

/** The filled-in lines as integers; throws on a value that is not a whole number. */
export function parseObserverValues(values: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [n, raw] of Object.entries(values)) {
    const v = raw.trim();
    if (v === '') continue;
    if (!/^\d{1,8}$/.test(v) || Number(v) > 10_000_000) throw new Error(n);
    out[n] = Number(v);
  }
  return out;
}
