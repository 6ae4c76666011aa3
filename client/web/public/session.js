// The reviewer's token and the calls that carry it.
//
// The token stays in this tab's sessionStorage (gone when the tab closes)
// and goes with every call to the board server as the X-Rollcall-Token
// header; the server forwards it to rollcalld and keeps nothing. An
// EventSource cannot send headers, so the token is also set as a session
// cookie for the server's read-only streams (see src/token.js).

import { el } from './dom.js';

const KEY = 'rollcall.token';
const COOKIE = 'rollcall_token';

export function token() {
  return sessionStorage.getItem(KEY) ?? '';
}

function setCookie(value) {
  document.cookie = value
    ? `${COOKIE}=${encodeURIComponent(value)}; path=/api/; SameSite=Strict`
    : `${COOKIE}=; path=/api/; SameSite=Strict; max-age=0`;
}

export function setToken(value) {
  if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
  setCookie(value);
}

// An error answered by the board server: {code, message, field?,
// resourceName?} and the HTTP status.
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error?.code ?? 'UNKNOWN';
    this.field = error?.field ?? '';
    this.resourceName = error?.resourceName ?? '';
  }
}

// Calls the board server; resolves to the JSON body or throws ApiError.
// `keepalive` lets the call outlive the tab.
export async function api(method, path, body, { keepalive = false } = {}) {
  const headers = {};
  if (token()) headers['x-rollcall-token'] = token();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, keepalive, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, answer.error);
  return answer;
}

// What the token may do: {canWrite, reason}; a refused token gives
// {canRead: false, reason}.
export async function sessionInfo() {
  try {
    return { canRead: true, ...(await api('GET', '/api/session')) };
  } catch (error) {
    return { canRead: false, canWrite: false, reason: error.message };
  }
}

// The sign-in form in the masthead: a password field for the token, kept
// for this tab only. `onChange()` runs after signing in or out.
export function mountSignIn(container, onChange) {
  setCookie(token());  // a tab restored by the browser gets its cookie back
  const input = el('input', {
    id: 'token-input', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Token', 'aria-describedby': 'token-note',
  });
  const form = el('form', { class: 'signin', id: 'signin' },
    el('label', { for: 'token-input' }, 'Token'), input,
    el('button', { type: 'submit', id: 'signin-button' }, 'Sign in'),
    el('button', { type: 'button', id: 'signout-button' }, 'Sign out'),
    el('span', { id: 'token-note', class: 'signin-note', role: 'status' }));
  const note = form.querySelector('#token-note');
  const show = () => {
    form.dataset.signedIn = String(Boolean(token()));
    note.textContent = token() ? 'Signed in (this tab only)' : 'Not signed in';
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    input.value = '';
    show();
    onChange();
  });
  form.querySelector('#signout-button').addEventListener('click', () => {
    setToken('');
    show();
    onChange();
  });
  show();
  container.append(form);
}
