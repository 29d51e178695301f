import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { Notice } from '../../components/Notice';
import { TextField } from '../../components/TextField';
import { useSubmit } from '../../hooks';
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
  const { busy, error, submit } = useSubmit((err) =>
    err instanceof ApiError && err.status === 404 ? t('auth.badInvite') : undefined,
  );

  const register = async () => {
    const { accessToken, user } = await api.register({
      code: code.trim(),
      email: email.trim(),
      password,
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
    });
    setSession(accessToken, user);
    navigate(homeOf(user.role), true);
  };

  return (
    <form class="card narrow stack" onSubmit={submit(register)}>
      <h1>{t('auth.registerTitle')}</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <TextField
        id="reg-code"
        label={t('auth.inviteCode')}
        required
        autoComplete="off"
        value={code}
        onValue={setCode}
      />
      <TextField
        id="reg-email"
        label={t('auth.email')}
        type="email"
        autoComplete="username"
        required
        value={email}
        onValue={setEmail}
      />
      <TextField
        id="reg-name"
        label={t('auth.displayName')}
        autoComplete="name"
        value={displayName}
        onValue={setDisplayName}
      />
      <TextField
        id="reg-password"
        label={t('auth.password')}
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onValue={setPassword}
      />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('common.wait') : t('auth.register')}
      </button>
      <p>
        <Link href="/login">{t('auth.haveAccount')}</Link>
      </p>
    </form>
  );
}
