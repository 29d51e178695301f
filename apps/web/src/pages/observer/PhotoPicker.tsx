import { useEffect, useMemo } from 'preact/hooks';
import { formatNumber, useT } from '../../i18n';

export const MAX_PHOTOS = 10;
export const MAX_PHOTO_BYTES = 25 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif';

interface Props {
  photos: File[];
  onChange: (photos: File[]) => void;
}

/** Camera capture or file choice, with previews and a remove button per photo. */
export function PhotoPicker({ photos, onChange }: Props) {
  const t = useT();
  const urls = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);

  const add = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    onChange([...photos, ...files].slice(0, MAX_PHOTOS));
  };
  const tooBig = photos.filter((f) => f.size > MAX_PHOTO_BYTES);

  return (
    <fieldset class="stack">
      <legend>{t('report.photos')}</legend>
      <p class="hint">{t('report.photosHint', { max: MAX_PHOTOS })}</p>
      <div class="row">
        <label class="button file-button">
          <input type="file" accept="image/*" capture="environment" onChange={add} class="visually-hidden" />
          {t('report.takePhoto')}
        </label>
        <label class="button file-button">
          <input type="file" accept={ACCEPT} multiple onChange={add} class="visually-hidden" />
          {t('report.chooseFiles')}
        </label>
      </div>
      {photos.length > 0 && (
        <ul class="thumbs" aria-label={t('report.chosenPhotos')}>
          {photos.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <img src={urls[i]} alt={t('report.photoN', { n: i + 1 })} />
              <span class="thumb-size">{formatNumber(f.size / 1024 / 1024, 1)} MB</span>
              <button
                type="button"
                class="danger small"
                onClick={() => onChange(photos.filter((_, j) => j !== i))}
                aria-label={t('report.removePhoto', { n: i + 1 })}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {tooBig.length > 0 && <p class="error-text">{t('report.photoTooBig')}</p>}
    </fieldset>
  );
}
