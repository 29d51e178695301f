import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { useT } from '../../i18n';
import { Link, navigate } from '../../router';
import { setSession } from '../../session';
import { homeOf } from './home-of';

export function LoginPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { accessToken, user } = await api.login(email.trim(), password);
      setSession(accessToken, user);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(user.role), true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('auth.wrongPassword'));
      else if (err instanceof ApiError && err.status === 429) setError(t('auth.tooMany'));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow stack" onSubmit={submit}>
      <h1>{t('auth.loginTitle')}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <div class="field">
        <label for="login-email">{t('auth.email')}</label>
        <input id="login-email" type="email" autoComplete="username" required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="login-password">{t('auth.password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('common.wait') : t('auth.login')}
      </button>
      <p>
        {t('auth.haveInvite')} <Link href="/register">{t('auth.registerLink')}</Link>
      </p>
    </form>
  );
}
