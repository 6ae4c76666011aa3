// The review desk's start: the event, the token, the drafts stream, the
// article form and the keys (the queue itself is review.js).

import { el } from './dom.js';
import { showError, clearErrors } from './forms.js';
import { api, mountSignIn, sessionInfo } from './session.js';
import {
  act, loadDocument, nameActor, onKey, renderQueue, select, sendReject, setConnection, state,
} from './review.js';

const $ = (id) => document.getElementById(id);

function openStream() {
  state.source?.close();
  const source = new EventSource(`/api/events/${encodeURIComponent(state.eventId)}/drafts/stream`);
  state.source = source;
  const on = (name, handler) => source.addEventListener(name, (message) => handler(JSON.parse(message.data)));
  on('snapshot', ({ drafts }) => {
    state.drafts = new Map(drafts.map((d) => [d.name, d]));
    setConnection('live', 'Live');
    renderQueue();
  });
  on('drafts', ({ drafts }) => {
    for (const draft of drafts) {
      if (draft.state === 'DRAFT_STATE_PENDING') {
        state.drafts.set(draft.name, draft);
      } else {
        state.drafts.delete(draft.name);
        state.reviewed.add(draft.name);
      }
    }
    renderQueue();
  });
  on('status', (status) => setConnection('reconnecting', `Reconnecting to rollcalld… (${status.message})`));
  on('failure', (failure) => { setConnection('failed', `Stopped: ${failure.message}`); source.close(); });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      setConnection('failed', 'The drafts stream was refused (sign in with a token?)');
    } else {
      setConnection('reconnecting', 'Reconnecting to the board server…');
    }
  });
}

// Calls `load` each time the returned function is called, and passes its
// answer to `apply` unless a later call started meanwhile: the page starts
// these calls again when one signs in, and an answer to the token-less call
// may come last. Each call resolves once the newest answer is applied.
function latest(load, apply) {
  let generation = 0;
  let newest = Promise.resolve();
  return async () => {
    const mine = ++generation;
    newest = load().then((answer) => { if (mine === generation) apply(answer); });
    for (let seen = null; seen !== newest;) {
      seen = newest;
      await seen;
    }
  };
}

// The directory's display names, for the cards (drawn again with them:
// the stream may have drawn the cards first); ids are shown without them.
const learnActors = latest(() => api('GET', '/api/actors?q=%2F&limit=1000').catch(() => ({ actors: [] })), ({ actors }) => {
  for (const actor of actors) state.actors.set(actor.name, actor.displayName);
  if (actors.length) renderQueue();
});

function setUpExtract() {
  const form = $('extract-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const text = $('extract-text').value;
    const url = $('extract-url').value.trim();
    const article = { text, url, publisher: $('extract-publisher').value.trim(), title: $('extract-title').value.trim() };
    const date = $('extract-date').value;
    if (date) article.publishTime = `${date}T12:00:00Z`;
    const button = $('extract-button');
    button.disabled = true;
    $('extract-status').textContent = 'Reading the article…';
    try {
      const result = await api('POST', `/api/events/${encodeURIComponent(state.eventId)}/extract`, { document: article });
      // The drafts stream may have brought these drafts first, and someone
      // may have reviewed them since: what the stream said stands.
      const fresh = result.drafts.filter((d) => d.state === 'DRAFT_STATE_PENDING' && !state.reviewed.has(d.name));
      for (const draft of fresh) if (!state.drafts.has(draft.name)) state.drafts.set(draft.name, draft);
      state.documents.set(result.document.name, Promise.resolve(result.document));
      state.documentName = result.document.name;
      $('extract-status').textContent = result.alreadyExtracted
        ? `This article was read before: ${result.drafts.length} drafts.`
        : `${result.drafts.length} drafts proposed.`;
      form.reset();
      // The first new card is selected, unless the reviewer is already at
      // work in the queue (the stream drew the cards before this answer).
      if (fresh.length && !$('queue').contains(document.activeElement)) select(fresh[0].name);
      else renderQueue();
    } catch (error) {
      $('extract-status').textContent = '';
      showError(form, error);
    } finally {
      button.disabled = !state.session.canWrite;
    }
  });
}

const applySession = latest(sessionInfo, (session) => {
  state.session = session;
  const note = $('write-note');
  note.hidden = state.session.canWrite;
  note.textContent = state.session.canRead ? state.session.reason : `Cannot read: ${state.session.reason}`;
  $('extract-button').disabled = !state.session.canWrite;
  $('extract-button').setAttribute('aria-describedby', state.session.canWrite ? 'extract-status' : 'write-note');
  renderQueue();
});

// The event picker and the page's title (again after signing in: a server
// with tokens lists nothing to a visitor without one).
const loadEvents = latest(() => api('GET', '/api/events').catch(() => ({ events: [] })), ({ events }) => {
  const picker = $('event-picker');
  picker.replaceChildren(...events.map((e) => el('option', { value: e.name.replace(/^events\//, '') }, e.title || e.name)));
  state.eventId ||= picker.options[0]?.value ?? '';
  picker.value = state.eventId;
  const event = events.find((e) => e.name === `events/${state.eventId}`);
  $('event-title').textContent = event ? `Review: ${event.title}` : `Review: ${state.eventId}`;
  document.title = `${$('event-title').textContent} — Rollcall`;
  $('board-link').href = `/?event=${encodeURIComponent(state.eventId)}`;
  $('entry-link').href = `/entry?event=${encodeURIComponent(state.eventId)}`;
});

async function main() {
  // Wall-screen mode, as on the board: dark, larger type.
  document.documentElement.classList.toggle('wall', new URLSearchParams(location.search).get('wall') === '1');
  mountSignIn($('signin-slot'), async () => {
    await Promise.all([applySession(), loadEvents(), learnActors()]);
    openStream();
  });
  await loadEvents();
  $('event-picker').addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('event', $('event-picker').value);
    location.assign(url);
  });
  setUpExtract();
  $('queue').addEventListener('submit', (event) => {
    if (!event.target.matches('.name-actor-form')) return;
    event.preventDefault();
    nameActor(event.target, state.drafts.get(event.target.closest('.draft-card').dataset.draft));
  });
  $('queue').addEventListener('click', (event) => {
    const card = event.target.closest('.draft-card');
    if (!card) return;
    const action = event.target.closest('button[data-action]')?.dataset.action;
    if (action === 'accept' || action === 'edit' || action === 'reject') {
      state.current = card.dataset.draft;
      act(action, state.drafts.get(card.dataset.draft));
    } else if (!event.target.closest('form, a') && state.current !== card.dataset.draft) {
      select(card.dataset.draft);
    }
  });
  $('document-picker').addEventListener('change', () => {
    state.documentName = $('document-picker').value || null;
    if (state.documentName) loadDocument(state.documentName);
    renderQueue();
  });
  document.addEventListener('keydown', onKey);
  // A rejection still in its grace period is sent when the tab goes.
  addEventListener('pagehide', () => { for (const name of [...state.rejecting.keys()]) sendReject(name); });
  await applySession();
  await learnActors();
  openStream();
}

main();
