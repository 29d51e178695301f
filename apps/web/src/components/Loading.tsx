import { useT } from '../i18n';

export function Loading() {
  const t = useT();
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}
