import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ElectionSelect } from '../../components/ElectionSelect';
import { Notice } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import { useAsync, useStored } from '../../hooks';
import { formatDateTime, formatNumber, useT } from '../../i18n';
import { Link } from '../../router';
import { FileUpload } from './FileUpload';
import { ImportProgress } from './ImportProgress';

export function ImportsPage() {
  const t = useT();
  const [slug, setSlug] = useStored('votecheck.admin.election', '');
  const [precinctResult, setPrecinctResult] = useState<{ inserted: number; updated: number; total: number } | null>(
    null,
  );
  const [importId, setImportId] = useState<string | null>(null);
  const history = useAsync(() => (slug ? api.imports(slug) : Promise.resolve([])), [slug]);

  return (
    <div class="stack">
      <h1>{t('imports.title')}</h1>
      <ElectionSelect value={slug} onChange={setSlug} id="imports-election" />
      {slug && (
        <>
          <FileUpload
            id="precincts-file"
            title={t('imports.precincts')}
            hint={t('imports.precinctsHint')}
            accept=".csv,text/csv"
            path={api.precinctsImportPath(slug)}
            onUploaded={(b) => setPrecinctResult(b as { inserted: number; updated: number; total: number })}
          />
          {precinctResult && (
            <Notice kind="success">
              {t('imports.precinctsDone', {
                inserted: formatNumber(precinctResult.inserted),
                updated: formatNumber(precinctResult.updated),
                total: formatNumber(precinctResult.total),
              })}
            </Notice>
          )}
          <FileUpload
            id="official-file"
            title={t('imports.official')}
            hint={t('imports.officialHint')}
            accept=".csv,.gz,text/csv,application/gzip"
            path={api.officialImportPath(slug)}
            onUploaded={(b) => setImportId((b as { importId: string }).importId)}
          />
          {importId && <ImportProgress key={importId} importId={importId} onFinished={history.reload} />}
          <section class="stack-sm">
            <h2>{t('imports.history')}</h2>
            {history.data?.length === 0 && <p class="muted">{t('imports.none')}</p>}
            {history.data && history.data.length > 0 && (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('imports.when')}</th>
                      <th scope="col">{t('imports.state')}</th>
                      <th scope="col" class="num">
                        {t('imports.rowsCol')}
                      </th>
                      <th scope="col" class="num">
                        {t('imports.errors')}
                      </th>
                      <th scope="col">{t('imports.version')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.data.map((i) => (
                      <tr key={i.id ?? i.importId}>
                        <td>{formatDateTime(i.createdAt)}</td>
                        <td>
                          <StatusBadge status={`import_${i.status}`} />
                        </td>
                        <td class="num">
                          {formatNumber(i.rowsDone)} / {formatNumber(i.rowsTotal)}
                        </td>
                        <td class="num">{formatNumber(i.errors?.length ?? 0)}</td>
                        <td>
                          {i.version != null && (
                            <Link href={`/admin/imports/${encodeURIComponent(i.id ?? i.importId ?? '')}/changes`}>
                              {t('imports.versionChanges', { version: i.version })}
                            </Link>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
