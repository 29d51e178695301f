import { useT } from '../../i18n';
import { Link } from '../../router';

/** Links between an election's public pages. */
export function ResultsNav({ slug }: { slug: string }) {
  const t = useT();
  const base = `/results/${encodeURIComponent(slug)}`;
  return (
    <nav class="subnav" aria-label={t('results.pages')}>
      <Link href={base}>{t('results.discrepancies')}</Link>
      <Link href={`${base}/evoting`}>{t('results.evoting')}</Link>
      <Link href={`${base}/forensics`}>{t('results.forensics')}</Link>
    </nav>
  );
}

/** "5. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"" → "ЕДИНАЯ РОССИЯ". */
export function shortName(label: string | undefined, fallback: string): string {
  if (!label) return fallback;
  const quoted =
    label.match(/"([^"]+)"?$/)?.[1] ??
    label
      .match(/"([^"]+)"/g)
      ?.pop()
      ?.replace(/"/g, '');
  const base = quoted ?? label.replace(/^\d+\.\s*/, '');
  const name = base.replace(/^(Политическая|Всероссийская политическая)\s+партия\s+/i, '').trim() || fallback;
  // Long names become acronyms, as they are usually written: КПРФ, ЛДПР.
  const words = name.split(/[\s–-]+/).filter((w) => w.length > 0);
  return name.length > 24 && words.length >= 3 ? words.map((w) => w[0].toUpperCase()).join('') : name;
}
