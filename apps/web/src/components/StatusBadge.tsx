import { useT, type MessageKey } from '../i18n';

/** A coloured badge for a report status or a precinct's match status. */
export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `status.${status}` as MessageKey;
  const text = t(key);
  return <span class={`badge badge-${status}`}>{text === key ? status : text}</span>;
}
