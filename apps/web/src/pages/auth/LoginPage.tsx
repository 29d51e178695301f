import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { Notice } from '../../components/Notice';
import { TextField } from '../../components/TextField';
import { useSubmit } from '../../hooks';
import { useT } from '../../i18n';
import { Link, navigate } from '../../router';
import { setSession } from '../../session';
import { homeOf } from './home-of';

export function LoginPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit((err) => {
    if (err instanceof ApiError && err.status === 401) return t('auth.wrongPassword');
    if (err instanceof ApiError && err.status === 429) return t('auth.tooMany');
    return undefined;
  });

  const logIn = async () => {
    const { accessToken, user } = await api.login(email.trim(), password);
    setSession(accessToken, user);
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(user.role), true);
  };

  return (
    <form class="card narrow stack" onSubmit={submit(logIn)}>
      <h1>{t('auth.loginTitle')}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <TextField
        id="login-email"
        label={t('auth.email')}
        type="email"
        autoComplete="username"
        required
        value={email}
        onValue={setEmail}
      />
      <TextField
        id="login-password"
        label={t('auth.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('common.wait') : t('auth.login')}
      </button>
      <p>
        {t('auth.haveInvite')} <Link href="/register">{t('auth.registerLink')}</Link>
      </p>
    </form>
  );
}
