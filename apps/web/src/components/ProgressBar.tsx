import { formatNumber } from '../i18n';

interface Props {
  label: string;
  value: number;
  max: number;
  /** Shown after the label, e.g. "1,200 / 3,660 rows". */
  detail?: string;
}

/** A labelled progress bar; an unknown `max` (0) shows an indeterminate bar. */
export function ProgressBar({ label, value, max, detail }: Props) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : undefined;
  return (
    <div class="progress">
      <div class="progress-label">
        <span>{label}</span>
        <span>{detail ?? (pct !== undefined ? `${formatNumber(pct)} %` : '')}</span>
      </div>
      <div
        class={`progress-track${pct === undefined ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div class="progress-fill" style={{ width: pct === undefined ? '30%' : `${pct}%` }} />
      </div>
    </div>
  );
}
