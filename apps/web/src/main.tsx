import { render } from 'preact';
import { api } from './api';
import { App } from './app';
import { startOutbox } from './offline/queue';
import { getToken, updateUser } from './session';
import './styles.css';

// Refresh the cached user (role changes, expired token) without delaying the first paint.
if (getToken()) {
  api.me().then(updateUser, () => undefined);
}

startOutbox();
render(<App />, document.getElementById('app')!);
