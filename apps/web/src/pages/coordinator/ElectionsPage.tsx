import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { useAsync, useSubmit } from '../../hooks';
import { useT } from '../../i18n';
import { Link } from '../../router';
import { TemplateView } from './TemplateView';

const PRESETS = ['ru-duma-2021-federal'];

function ElectionDetails({ slug }: { slug: string }) {
  const { data, error } = useAsync(() => api.election(slug), [slug]);
  if (error !== undefined) return <Notice kind="error">{errorText(error)}</Notice>;
  return data?.template ? <TemplateView template={data.template} /> : null;
}

export function ElectionsPage() {
  const t = useT();
  const list = useAsync(() => api.elections(), []);
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [date, setDate] = useState('');
  const [source, setSource] = useState<'preset' | 'custom'>('preset');
  const [preset, setPreset] = useState(PRESETS[0]);
  const [templateJson, setTemplateJson] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit((err) => (err instanceof SyntaxError ? t('elections.badJson') : undefined));

  const create = async () => {
    setDone(null);
    let body: Record<string, unknown> = { slug: slug.trim(), name: name.trim(), ...(date ? { date } : {}) };
    if (source === 'preset') body = { ...body, templatePreset: preset };
    else body = { ...body, template: JSON.parse(templateJson) as unknown };
    const created = await api.createElection(body);
    setDone(created.slug ?? slug);
    list.reload();
  };

  return (
    <div class="stack">
      <h1>{t('elections.title')}</h1>
      <section class="stack-sm">
        {list.error !== undefined && <Notice kind="error">{errorText(list.error)}</Notice>}
        {list.data?.length === 0 && <p class="muted">{t('common.noElections')}</p>}
        {list.data?.map((el) => (
          <details key={el.slug} class="card">
            <summary>
              <strong>{el.name}</strong> <code>{el.slug}</code> {el.date ?? ''}
            </summary>
            <p>
              <Link href={`/results/${encodeURIComponent(el.slug)}`}>{t('nav.results')}</Link>
            </p>
            <ElectionDetails slug={el.slug} />
          </details>
        ))}
      </section>
      <form class="card stack-sm" onSubmit={submit(create)}>
        <h2>{t('elections.create')}</h2>
        <div class="field">
          <label for="el-slug">{t('elections.slug')}</label>
          <input
            id="el-slug"
            required
            pattern="[a-z0-9\-]+"
            value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="el-name">{t('elections.name')}</label>
          <input id="el-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="el-date">{t('elections.date')}</label>
          <input id="el-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <fieldset class="row">
          <legend>{t('elections.template')}</legend>
          <label class="inline">
            <input type="radio" name="el-source" checked={source === 'preset'} onChange={() => setSource('preset')} />
            {t('elections.preset')}
          </label>
          <label class="inline">
            <input type="radio" name="el-source" checked={source === 'custom'} onChange={() => setSource('custom')} />
            {t('elections.custom')}
          </label>
        </fieldset>
        {source === 'preset' ? (
          <div class="field">
            <label for="el-preset">{t('elections.preset')}</label>
            <select
              id="el-preset"
              value={preset}
              onChange={(e) => setPreset((e.currentTarget as HTMLSelectElement).value)}
            >
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div class="field">
            <label for="el-template">{t('elections.templateJson')}</label>
            <textarea
              id="el-template"
              rows={10}
              class="mono"
              value={templateJson}
              onInput={(e) => setTemplateJson(e.currentTarget.value)}
            />
          </div>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('elections.createButton')}
        </button>
        {error && <Notice kind="error">{error}</Notice>}
        {done && <Notice kind="success">{t('elections.created', { slug: done })}</Notice>}
      </form>
    </div>
  );
}
