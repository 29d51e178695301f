import { useState } from 'preact/hooks';
import { useT, type MessageKey } from '../../i18n';
import { REJECT_REASONS, type RejectReason } from '../../types';

interface Props {
  onReject: (reason: RejectReason, text?: string) => void;
  onCancel: () => void;
  busy: boolean;
}

/** Rejecting a report: a reason from the fixed list and an optional note. */
export function RejectForm({ onReject, onCancel, busy }: Props) {
  const t = useT();
  const [reason, setReason] = useState<RejectReason>('illegible');
  const [text, setText] = useState('');
  return (
    <form
      class="card stack-sm reject"
      onSubmit={(e) => (e.preventDefault(), onReject(reason, text.trim() || undefined))}
    >
      <div class="field">
        <label for="reject-reason">{t('review.rejectReason')}</label>
        <select
          id="reject-reason"
          value={reason}
          autoFocus
          onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as RejectReason)}
        >
          {REJECT_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`reject.${r}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="reject-text">{t('review.rejectText')}</label>
        <textarea
          id="reject-text"
          rows={2}
          maxLength={1000}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </div>
      <div class="row">
        <button type="submit" class="danger" disabled={busy}>
          {t('review.rejectConfirm')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
