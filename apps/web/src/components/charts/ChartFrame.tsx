import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { saveBlob, svgToPng, toCsv } from '../../download';
import { useT } from '../../i18n';

interface Props {
  title: string;
  description?: string;
  fileName: string;
  csv: () => (string | number | boolean | null | undefined)[][];
  children: ComponentChildren;
}

/** A chart with its title, and buttons to download its data (CSV) and its picture (PNG). */
export function ChartFrame({ title, description, fileName, csv, children }: Props) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const png = async () => {
    const svg = box.current?.querySelector('svg');
    if (!svg) return;
    try {
      saveBlob(await svgToPng(svg, title), `${fileName}.png`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <figure class="chart card">
      <figcaption>
        <strong>{title}</strong>
        {description && <span class="hint"> {description}</span>}
      </figcaption>
      <div ref={box} class="chart-box">
        {children}
      </div>
      <div class="row">
        <button type="button" onClick={() => saveBlob(toCsv(csv()), `${fileName}.csv`)}>
          {t('chart.csv')}
        </button>
        <button type="button" onClick={() => void png()}>
          {t('chart.png')}
        </button>
      </div>
      {error && <p class="error-text">{error}</p>}
    </figure>
  );
}
