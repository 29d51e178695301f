import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { useT } from '../../i18n';
import { Link, navigate } from '../../router';
import { setSession } from '../../session';
import { homeOf } from './home-of';

export function RegisterPage() {
  const t = useT();
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { accessToken, user } = await api.register({
        code: code.trim(),
        email: email.trim(),
        password,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      });
      setSession(accessToken, user);
      navigate(homeOf(user.role), true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t('auth.badInvite') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow stack" onSubmit={submit}>
      <h1>{t('auth.registerTitle')}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <div class="field">
        <label for="reg-code">{t('auth.inviteCode')}</label>
        <input id="reg-code" required autoComplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="reg-email">{t('auth.email')}</label>
        <input id="reg-email" type="email" autoComplete="username" required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="reg-name">{t('auth.displayName')}</label>
        <input id="reg-name" autoComplete="name" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="reg-password">{t('auth.password')}</label>
        <input id="reg-password" type="password" autoComplete="new-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('common.wait') : t('auth.register')}
      </button>
      <p>
        <Link href="/login">{t('auth.haveAccount')}</Link>
      </p>
    </form>
  );
}
