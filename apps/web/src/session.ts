import { useEffect, useState } from 'preact/hooks';
import type { User } from './types';

/** The logged-in user and their bearer token, kept in localStorage so a reload keeps the session. */

const TOKEN_KEY = 'votecheck.token';
const USER_KEY = 'votecheck.user';

type Listener = () => void;
const listeners = new Set<Listener>();

function readUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

let currentUser: User | null = readUser();

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function getUser(): User | null {
  return getToken() ? currentUser : null;
}

export function setSession(token: string, user: User): void {
  localStorage.setItem(TOKEN_KEY, token);
  updateUser(user);
}

export function updateUser(user: User): void {
  currentUser = user;
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  notify();
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  currentUser = null;
  notify();
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab logging in or out changes localStorage; follow it.
window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_KEY || event.key === USER_KEY) {
    currentUser = readUser();
    notify();
  }
});

export function useUser(): User | null {
  const [user, setUser] = useState(getUser());
  useEffect(() => onSessionChange(() => setUser(getUser())), []);
  return user;
}
