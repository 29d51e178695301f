import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ElectionSelect } from '../../components/ElectionSelect';
import { Notice, errorText } from '../../components/Notice';
import { useAsync, useSubmit } from '../../hooks';
import { formatDateTime, useT } from '../../i18n';

function inviteLink(code: string): string {
  return `${location.origin}/register?code=${encodeURIComponent(code)}`;
}

export function InvitesPage() {
  const t = useT();
  const list = useAsync(() => api.invites(), []);
  const [role, setRole] = useState<'observer' | 'moderator'>('observer');
  const [slug, setSlug] = useState('');
  const [maxUses, setMaxUses] = useState('1');
  const [expiresAt, setExpiresAt] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit();

  const create = async () => {
    const { code } = await api.createInvite({
      role,
      ...(slug ? { electionSlug: slug } : {}),
      ...(maxUses ? { maxUses: Number(maxUses) } : {}),
      ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
    });
    setCreated(code);
    list.reload();
  };

  return (
    <div class="stack">
      <h1>{t('invites.title')}</h1>
      <form class="card stack-sm" onSubmit={submit(create)}>
        <h2>{t('invites.create')}</h2>
        <div class="field">
          <label for="invite-role">{t('invites.role')}</label>
          <select
            id="invite-role"
            value={role}
            onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as 'observer')}
          >
            <option value="observer">{t('role.observer')}</option>
            <option value="moderator">{t('role.moderator')}</option>
          </select>
        </div>
        <ElectionSelect value={slug} onChange={setSlug} id="invite-election" allowNone />
        <div class="field">
          <label for="invite-uses">{t('invites.maxUses')}</label>
          <input
            id="invite-uses"
            type="number"
            min={1}
            inputMode="numeric"
            value={maxUses}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="invite-expires">{t('invites.expiresAt')}</label>
          <input
            id="invite-expires"
            type="datetime-local"
            value={expiresAt}
            onInput={(e) => setExpiresAt(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('invites.createButton')}
        </button>
        {error && <Notice kind="error">{error}</Notice>}
        {created && (
          <Notice kind="success">
            <p>
              {t('invites.created')} <code class="invite-code">{created}</code>
            </p>
            <label for="invite-link">{t('invites.link')}</label>
            <input id="invite-link" readOnly value={inviteLink(created)} onFocus={(e) => e.currentTarget.select()} />
          </Notice>
        )}
      </form>
      <section class="stack-sm">
        <h2>{t('invites.list')}</h2>
        {list.error !== undefined && <Notice kind="error">{errorText(list.error)}</Notice>}
        {list.data?.length === 0 && <p class="muted">{t('invites.none')}</p>}
        {list.data && list.data.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('invites.code')}</th>
                  <th scope="col">{t('invites.role')}</th>
                  <th scope="col">{t('common.election')}</th>
                  <th scope="col" class="num">
                    {t('invites.uses')}
                  </th>
                  <th scope="col">{t('invites.expiresAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((i) => (
                  <tr key={i.id ?? i.code}>
                    <td>
                      <code>{i.code}</code>
                    </td>
                    <td>{t(i.role === 'moderator' ? 'role.moderator' : 'role.observer')}</td>
                    <td>{i.electionSlug ?? '—'}</td>
                    <td class="num">
                      {i.uses ?? 0} / {i.maxUses ?? '∞'}
                    </td>
                    <td>{formatDateTime(i.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
