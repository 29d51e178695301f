import { useEffect, useMemo, useRef } from 'preact/hooks';
import { formatNumber, useT } from '../../i18n';
import { checkRatios } from '../../ratios';
import type { ProtocolTemplate, Transcription } from '../../types';
import { RatioPanel } from './RatioPanel';

export const MAX_VALUE = 10_000_000;

interface Props {
  template: ProtocolTemplate;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  onSubmit: () => void;
  disabled?: boolean;
  /** Arbitration: the moderators' transcriptions, shown beside each line. */
  transcriptions?: Transcription[];
  differingLines?: number[];
}

export function parseValue(raw: string | undefined): number | undefined {
  const v = (raw ?? '').trim().replace(/\s/g, '');
  if (!/^\d{1,8}$/.test(v)) return undefined;
  const n = Number(v);
  return n <= MAX_VALUE ? n : undefined;
}

/**
 * One labelled numeric field per protocol line. Tab or Enter moves on; Enter on the last
 * line submits. Control ratios are checked as the numbers are typed.
 */
export function TranscriptionForm(props: Props) {
  const { template, values, onChange, onSubmit, disabled, transcriptions, differingLines } = props;
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const differing = new Set(differingLines ?? []);
  const parsed = useMemo(() => {
    const out: Record<string, number | undefined> = {};
    for (const line of template.lines) out[String(line.n)] = parseValue(values[String(line.n)]);
    return out;
  }, [template, values]);
  const checks = useMemo(() => checkRatios(template.ratios, parsed), [template, parsed]);
  const brokenLines = new Set(
    checks.filter((c) => c.state === 'broken' && c.ratio.severity === 'error').flatMap((c) => c.lines),
  );

  useEffect(() => {
    // Start at the first empty line: in arbitration the agreed lines are already filled in.
    const inputs = [...(formRef.current?.querySelectorAll<HTMLInputElement>('input[data-line]') ?? [])];
    (inputs.find((i) => i.value === '') ?? inputs[0])?.focus();
  }, [template, transcriptions]);

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const inputs = formRef.current?.querySelectorAll<HTMLInputElement>('input[data-line]');
    if (!inputs) return;
    if (index < inputs.length - 1) {
      inputs[index + 1].focus();
      inputs[index + 1].select();
    } else onSubmit();
  };

  return (
    <form ref={formRef} class="transcription" onSubmit={(e) => (e.preventDefault(), onSubmit())} noValidate>
      {transcriptions && (
        <p class="hint" id="arb-legend">
          {t('review.arbLegend', { n: differing.size })}
        </p>
      )}
      <ol class={`protocol-lines${transcriptions ? ' with-others' : ''}`}>
        {template.lines.map((line, i) => {
          const key = String(line.n);
          const raw = values[key] ?? '';
          const invalid = raw.trim() !== '' && parseValue(raw) === undefined;
          const cls = [
            'protocol-line',
            differing.has(line.n) ? 'differs' : '',
            brokenLines.has(line.n) ? 'in-broken' : '',
          ].join(' ');
          return (
            <li key={line.n} class={cls} data-line-row={line.n}>
              <label for={`line-${line.n}`}>
                {line.n}. {line.label}
                {differing.has(line.n) && <span class="sr-only"> — {t('review.differs')}</span>}
              </label>
              {transcriptions && (
                <span class="others">
                  {transcriptions.map((tr, j) => (
                    <span key={tr.moderatorId} class="other-value" title={t('review.moderatorN', { n: j + 1 })}>
                      <span class="other-who">{t('review.moderatorShort', { n: j + 1 })}</span>{' '}
                      {formatNumber(tr.values[key])}
                    </span>
                  ))}
                </span>
              )}
              <input
                id={`line-${line.n}`}
                data-line={line.n}
                inputMode="numeric"
                autoComplete="off"
                enterKeyHint={i === template.lines.length - 1 ? 'done' : 'next'}
                value={raw}
                disabled={disabled}
                aria-invalid={invalid || brokenLines.has(line.n)}
                onInput={(e) => onChange({ ...values, [key]: e.currentTarget.value })}
                onKeyDown={(e) => onKeyDown(e, i)}
              />
            </li>
          );
        })}
      </ol>
      <RatioPanel checks={checks} />
    </form>
  );
}
