import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { ElectionSelect } from '../../components/ElectionSelect';
import { Notice, errorText } from '../../components/Notice';
import { useStored } from '../../hooks';
import { useT } from '../../i18n';
import { enqueueReport } from '../../offline/queue';
import { navigate } from '../../router';
import type { Election } from '../../types';
import { ObserverNumbers, parseObserverValues } from './ObserverNumbers';
import { MAX_PHOTO_BYTES, PhotoPicker } from './PhotoPicker';
import { PrecinctFinder, type PrecinctChoice } from './PrecinctFinder';

const cacheKey = (slug: string) => `votecheck.election.${slug}`;

/** The election with its template, remembered so the form also works offline. */
function useElection(slug: string): Election | undefined {
  const [election, setElection] = useState<Election | undefined>();
  useEffect(() => {
    if (!slug) return;
    const cached = localStorage.getItem(cacheKey(slug));
    setElection(cached ? (JSON.parse(cached) as Election) : undefined);
    api.election(slug).then(
      (e) => {
        localStorage.setItem(cacheKey(slug), JSON.stringify(e));
        setElection(e);
      },
      () => undefined,
    );
  }, [slug]);
  return election;
}

export function NewReportPage() {
  const t = useT();
  const [slug, setSlug] = useStored('votecheck.report.election', '');
  const [savedPrecinct, setSavedPrecinct] = useStored('votecheck.report.precinct', '{"region":"","number":""}');
  const [precinct, setPrecinct] = useState<PrecinctChoice>(() => JSON.parse(savedPrecinct) as PrecinctChoice);
  const [photos, setPhotos] = useState<File[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const election = useElection(slug);

  const choosePrecinct = (p: PrecinctChoice) => {
    setPrecinct(p);
    setSavedPrecinct(JSON.stringify(p));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!slug) return setError(t('report.needElection'));
    if (!precinct.region.trim() || !precinct.number.trim()) return setError(t('report.needPrecinct'));
    if (photos.length === 0) return setError(t('report.needPhoto'));
    if (photos.some((f) => f.size > MAX_PHOTO_BYTES)) return setError(t('report.photoTooBig'));
    let parsed: Record<string, number>;
    try {
      parsed = parseObserverValues(values);
    } catch (err) {
      return setError(t('report.badNumber', { n: errorText(err) }));
    }
    setBusy(true);
    try {
      await enqueueReport({
        electionSlug: slug,
        electionName: election?.name,
        region: precinct.region.trim(),
        number: precinct.number.trim(),
        values: parsed,
        comment,
        photos,
      });
      navigate('/reports?queued=1');
    } catch (err) {
      setError(t('report.queueFailed', { error: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack narrow" onSubmit={submit} noValidate>
      <h1>{t('report.title')}</h1>
      <ElectionSelect value={slug} onChange={(s) => setSlug(s)} id="report-election" />
      <PrecinctFinder slug={slug} value={precinct} onChange={choosePrecinct} />
      <PhotoPicker photos={photos} onChange={setPhotos} />
      {election?.template && <ObserverNumbers lines={election.template.lines} values={values} onChange={setValues} />}
      <div class="field">
        <label for="report-comment">{t('report.comment')}</label>
        <textarea
          id="report-comment"
          rows={3}
          maxLength={4000}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <button type="submit" class="primary big" disabled={busy}>
        {t('report.submit')}
      </button>
      <p class="hint">{t('report.offlineHint')}</p>
    </form>
  );
}
