import { useState } from 'preact/hooks';
import { upload } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { ProgressBar } from '../../components/ProgressBar';
import { useT } from '../../i18n';

interface Props {
  id: string;
  title: string;
  hint: string;
  accept: string;
  path: string;
  onUploaded: (body: unknown) => void;
}

/** Sends one file as multipart field `file`, with a progress bar for the upload itself. */
export function FileUpload({ id, title, hint, accept, path, onUploaded }: Props) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setSent({ loaded: 0, total: file.size });
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const { body } = await upload<unknown>(path, form, { onProgress: (loaded, total) => setSent({ loaded, total }) });
      onUploaded(body);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSent(null);
    }
  };

  return (
    <form class="card stack-sm" onSubmit={send}>
      <h2>{title}</h2>
      <p class="hint">{hint}</p>
      <div class="field">
        <label for={id}>{t('imports.file')}</label>
        <input
          id={id}
          type="file"
          accept={accept}
          required
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </div>
      <button type="submit" class="primary" disabled={!file || sent !== null}>
        {t('imports.upload')}
      </button>
      {sent && <ProgressBar label={t('imports.uploading')} value={sent.loaded} max={sent.total} />}
      {error && <Notice kind="error">{error}</Notice>}
    </form>
  );
}
