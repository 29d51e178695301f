import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { PhotoViewer } from '../../components/PhotoViewer';
import { useT } from '../../i18n';
import { checkRatios } from '../../ratios';
import type { RejectReason, ReviewTask, SubmitResult, Transcription } from '../../types';
import { RejectForm } from './RejectForm';
import { TranscriptionForm, parseValue } from './TranscriptionForm';
import { formatCountdown, useTaskLock } from './use-task-lock';
import { violationsOf } from './violations';

interface Props {
  task: ReviewTask;
  onDone: (result: SubmitResult | null, note?: string) => void;
}

/** Values on which every transcription agrees: the arbitrator only has to settle the rest. */
function agreed(trs: Transcription[], lines: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of lines) {
    const vals = trs.map((tr) => tr.values[String(n)]);
    if (vals.length > 0 && vals.every((v) => v !== undefined && v === vals[0])) out[String(n)] = String(vals[0]);
  }
  return out;
}

export function TaskView({ task, onDone }: Props) {
  const t = useT();
  const lines = task.template.lines.map((l) => l.n);
  const [arb, setArb] = useState<{ transcriptions: Transcription[]; differingLines: number[] } | null>(
    task.transcriptions ? { transcriptions: task.transcriptions, differingLines: task.differingLines ?? [] } : null,
  );
  const [values, setValues] = useState<Record<string, string>>(() => (arb ? agreed(arb.transcriptions, lines) : {}));
  const [error, setError] = useState<string | null>(null);
  const [violations, setViolations] = useState<string[] | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const lock = useTaskLock(task.taskId, task.lockExpiresAt);
  const finished = useRef(false);
  const done = (result: SubmitResult | null, note?: string) => {
    finished.current = true;
    onDone(result, note);
  };

  // Leaving the desk (another page, closing the tab) hands an unfinished task straight back.
  useEffect(() => {
    const leave = () => {
      if (finished.current) return;
      finished.current = true;
      api.releaseOnExit(task.taskId);
    };
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [task.taskId]);

  useEffect(() => {
    if (task.kind !== 'arbitrate' || arb) return;
    api.transcriptions(task.taskId).then(
      (r) => {
        setArb(r);
        setValues((v) => ({ ...agreed(r.transcriptions, lines), ...v }));
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, [task.taskId]);

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) done(null, t('review.lockLost'));
    else setError(errorText(err));
  };

  const showViolations = (list: string[]) => {
    setViolations(list);
    setTimeout(() => document.getElementById('confirm-violations')?.focus(), 0);
  };

  const submit = async (confirm = false) => {
    setError(null);
    const numbers: Record<string, number> = {};
    for (const n of lines) {
      const v = parseValue(values[String(n)]);
      if (v === undefined) {
        setError(t('review.fillLine', { n }));
        document.getElementById(`line-${n}`)?.focus();
        return;
      }
      numbers[String(n)] = v;
    }
    // Broken error ratios are caught here first; the server's 422 remains the authority.
    const broken = checkRatios(task.template.ratios, numbers).filter(
      (c) => c.state === 'broken' && c.ratio.severity === 'error',
    );
    if (!confirm && broken.length > 0) {
      showViolations(broken.map((c) => c.ratio.expr));
      return;
    }
    setBusy(true);
    try {
      done(await api.submitValues(task.taskId, numbers, confirm));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) showViolations(violationsOf(err));
      else fail(err);
    } finally {
      setBusy(false);
    }
  };

  const reject = async (reason: RejectReason, text?: string) => {
    setBusy(true);
    try {
      done(await api.reject(task.taskId, reason, text));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    setBusy(true);
    try {
      await api.release(task.taskId);
      done(null, t('review.released'));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const low = lock.remainingMs < 60_000;
  return (
    <div class="task">
      <div class="task-head">
        <h1>{t(task.kind === 'arbitrate' ? 'review.arbitrateTitle' : 'review.transcribeTitle')}</h1>
        <p class={`lock${low ? ' lock-low' : ''}`} role="timer" aria-live={low ? 'polite' : 'off'}>
          {lock.expired ? t('review.lockExpired') : t('review.lockLeft', { time: formatCountdown(lock.remainingMs) })}
        </p>
      </div>
      <div class="task-grid">
        <PhotoViewer photos={task.photos} alt={t('review.photoAlt')} />
        <div class="stack">
          {task.kind === 'arbitrate' && !arb && <p class="muted">{t('common.loading')}</p>}
          <TranscriptionForm
            template={task.template}
            values={values}
            onChange={(v) => (setValues(v), setViolations(null))}
            onSubmit={() => void submit()}
            disabled={busy}
            transcriptions={arb?.transcriptions}
            differingLines={arb?.differingLines}
          />
          {error && <Notice kind="error">{error}</Notice>}
          {violations && (
            <Notice kind="warning">
              <p>{t('review.violations')}</p>
              <ul>
                {violations.map((v) => (
                  <li key={v}>
                    <code>{v}</code>
                  </li>
                ))}
              </ul>
              <button
                id="confirm-violations"
                type="button"
                class="primary"
                disabled={busy}
                onClick={() => void submit(true)}
              >
                {t('review.confirmViolations')}
              </button>
            </Notice>
          )}
          <div class="row actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void submit()}>
              {t('review.submit')}
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => setRejecting(true)}>
              {t('review.reject')}
            </button>
            <button type="button" disabled={busy} onClick={() => void release()}>
              {t('review.release')}
            </button>
          </div>
          {rejecting && (
            <RejectForm busy={busy} onReject={(r, x) => void reject(r, x)} onCancel={() => setRejecting(false)} />
          )}
        </div>
      </div>
    </div>
  );
}
