import { api } from '../api';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import type { Election } from '../types';

interface Props {
  value: string;
  onChange: (slug: string, election?: Election) => void;
  id?: string;
  /** Offer "no particular election" instead of picking the first one. */
  allowNone?: boolean;
}

/** A labelled choice of election; picks the first one when nothing is chosen yet. */
export function ElectionSelect({ value, onChange, id = 'election', allowNone = false }: Props) {
  const t = useT();
  const { data, error } = useAsync(async () => {
    const list = await api.elections();
    if (!value && !allowNone && list[0]) onChange(list[0].slug, list[0]);
    return list;
  }, []);
  return (
    <div class="field">
      <label for={id}>{t('common.election')}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const slug = (e.currentTarget as HTMLSelectElement).value;
          onChange(
            slug,
            data?.find((x) => x.slug === slug),
          );
        }}
      >
        {allowNone && <option value="">{t('common.anyElection')}</option>}
        {!data && value && <option value={value}>{value}</option>}
        {data?.length === 0 && <option value="">{t('common.noElections')}</option>}
        {data?.map((el) => (
          <option key={el.slug} value={el.slug}>
            {el.name}
          </option>
        ))}
      </select>
      {error !== undefined && <p class="error-text">{t('common.loadFailed')}</p>}
    </div>
  );
}
