import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import { useT } from '../../i18n';
import type { ReviewTask, SubmitResult } from '../../types';
import { TaskView } from './TaskView';

type State =
  { kind: 'idle'; note?: string; result?: SubmitResult } | { kind: 'empty' } | { kind: 'task'; task: ReviewTask };

/** The moderator's desk: take the next task from the review queue, transcribe, repeat. */
export function ReviewPage({ arbitration = false }: { arbitration?: boolean }) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (state.kind !== 'task') nextButton.current?.focus();
  }, [state]);

  const claim = async () => {
    setBusy(true);
    setError(null);
    try {
      const task = await api.claim(arbitration ? 'arbitrate' : undefined);
      setState(task ? { kind: 'task', task } : { kind: 'empty' });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (state.kind === 'task') {
    return (
      <TaskView
        key={state.task.taskId}
        task={state.task}
        onDone={(result, note) => setState({ kind: 'idle', result: result ?? undefined, note })}
      />
    );
  }

  return (
    <div class="stack narrow">
      <h1>{t(arbitration ? 'review.arbitrationDesk' : 'review.desk')}</h1>
      <p>{t(arbitration ? 'review.arbitrationIntro' : 'review.intro')}</p>
      {state.kind === 'idle' && state.result && (
        <Notice kind="success">
          {t('review.saved')} <StatusBadge status={state.result.reportStatus} />
          {state.result.ratioViolations?.length > 0 && (
            <span> {t('review.savedWithViolations', { n: state.result.ratioViolations.length })}</span>
          )}
        </Notice>
      )}
      {state.kind === 'idle' && state.note && <Notice kind="info">{state.note}</Notice>}
      {state.kind === 'empty' && <Notice kind="info">{t('review.nothing')}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <button ref={nextButton} type="button" class="primary big" disabled={busy} onClick={() => void claim()}>
        {state.kind === 'empty' ? t('review.checkAgain') : t('review.next')}
      </button>
      <p class="hint">{t('review.keyboardHint')}</p>
    </div>
  );
}
