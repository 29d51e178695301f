import { formatNumber, useT } from '../i18n';

/** One protocol line as both public views show it: official, observed, Δ = official − observed. */
export interface ComparedLine {
  n: number;
  key: string;
  official: number | null;
  observed: number | null;
  delta: number | null;
}

/**
 * The line-by-line table of a precinct's official and observed numbers, one column order for
 * every view, so that Δ reads as the left column minus the middle one. The long protocol labels
 * wrap and the numbers keep their room (fixed layout, for a phone). Every row carries its line
 * number in `data-line`.
 */
export function LineComparison<L extends ComparedLine>({
  lines,
  nameOf,
  titleOf = nameOf,
  highlight = false,
  compact = false,
  caption,
}: {
  lines: L[];
  /** What the row header shows after the line number; `titleOf` its tooltip (the same by default). */
  nameOf: (line: L) => string;
  titleOf?: (line: L) => string;
  /** Marks the lines that differ (class `differs`): worth it where most lines agree. */
  highlight?: boolean;
  compact?: boolean;
  caption?: string;
}) {
  const t = useT();
  return (
    <div class="table-wrap">
      <table class={compact ? 'precinct-lines compact' : 'precinct-lines'}>
        {caption && <caption>{caption}</caption>}
        <colgroup>
          <col class="label" />
          <col class="value" />
          <col class="value" />
          <col class="delta" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('results.line')}</th>
            <th scope="col" class="num">
              {t('results.official')}
            </th>
            <th scope="col" class="num">
              {t('results.observed')}
            </th>
            <th scope="col" class="num">
              Δ
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const delta = l.delta ?? 0;
            return (
              <tr key={l.n} class={highlight && delta !== 0 ? 'differs' : ''} data-line={l.n}>
                <th scope="row" title={titleOf(l)}>
                  {l.n}. {nameOf(l)}
                </th>
                <td class="num">{formatNumber(l.official)}</td>
                <td class="num">{formatNumber(l.observed)}</td>
                <td class={`num ${delta > 0 ? 'delta-pos' : delta < 0 ? 'delta-neg' : ''}`}>
                  {delta > 0 ? '+' : ''}
                  {formatNumber(l.delta)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
