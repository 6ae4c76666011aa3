// The review desk (/review?event=ID): the event's pending drafts as a queue
// of cards, kept live by /api/events/{id}/drafts/stream, beside the article
// they were read from with their evidence marked in place; an article is
// read by pasting its text or URL. Keys: j/k move, a accept, e edit then
// accept, r reject, u undo the last rejection.
//
// Rejecting is final on the server, so undo is a grace period: the
// rejection is sent REJECT_GRACE_MS after it is confirmed (at once if the
// tab is closed meanwhile), and undo within that time sends nothing.

import { el } from './dom.js';
import { draftCard, editForm, editedFields, rejectForm } from './draft_card.js';
import { renderArticle } from './highlight.js';
import { clearErrors, showError } from './forms.js';
import { api } from './session.js';

const $ = (id) => document.getElementById(id);
const REJECT_GRACE_MS = 5000;

const params = new URLSearchParams(location.search);
const state = {
  eventId: params.get('event') ?? '',
  session: { canRead: true, canWrite: false, reason: 'Checking what your token may do…' },
  drafts: new Map(),        // pending drafts by name, from the stream
  actors: new Map(),        // actor name -> display name, as learnt
  documents: new Map(),     // document name -> Promise<Document>
  current: null,            // selected draft's name
  documentName: null,       // the article shown
  rejecting: new Map(),     // name -> {timer, reason}: in the grace period
  reviewed: new Set(),      // drafts known to be accepted or rejected
  lastRejected: null,
  undoOffer: null,          // the toast's words offering to undo lastRejected
  source: null,
};

const actorName = (name) => state.actors.get(name) ?? name.replace(/^actors\//, '');
const queue = () => [...state.drafts.values()].filter((d) => !state.rejecting.has(d.name));

function setConnection(kind, text) {
  $('connection').dataset.state = kind;
  $('connection').replaceChildren(el('span', { class: 'dot', 'aria-hidden': 'true' }), text);
}

// Says `content`; an undo still offered stays after it, so that an answer
// arriving during a rejection's grace period does not take the undo away.
function toast(...content) {
  const offer = state.rejecting.has(state.lastRejected) ? state.undoOffer : null;
  $('toast').replaceChildren(...content, ...(offer && !content.includes(offer) ? [' ', offer] : []));
}

function loadDocument(name) {
  if (!state.documents.has(name)) {
    const id = name.replace(/^documents\//, '');
    state.documents.set(name, api('GET', `/api/documents/${encodeURIComponent(id)}`).catch((error) => {
      state.documents.delete(name);
      throw error;
    }));
  }
  return state.documents.get(name);
}

// Each call draws the picker only if no later call started meanwhile: the
// documents of an earlier queue may load last.
let pickerGeneration = 0;

async function renderDocumentPicker() {
  const generation = ++pickerGeneration;
  const names = [...new Set(queue().flatMap((d) => d.evidence.map((e) => e.document)))];
  if (state.documentName && !names.includes(state.documentName)) names.unshift(state.documentName);
  const picker = $('document-picker');
  const documents = await Promise.all(names.map((n) => loadDocument(n).catch(() => ({ name: n }))));
  if (generation !== pickerGeneration) return;
  picker.replaceChildren(el('option', { value: '' }, documents.length ? '— choose a document —' : 'No pending documents'),
    ...documents.map((d) => el('option', { value: d.name }, d.title || d.url || `${(d.text ?? d.name).slice(0, 70)}…`)));
  picker.value = state.documentName ?? '';
}

async function renderArticlePane() {
  const name = state.documentName;
  if (!name) {
    $('article-heading').textContent = 'No article chosen';
    $('article-text').replaceChildren(el('p', { class: 'muted' }, 'Paste an article above, or choose a pending document.'));
    return;
  }
  const document = await loadDocument(name);
  if (state.documentName !== name) return;
  $('article-heading').textContent = document.title || document.url || 'Article';
  $('article-source').textContent = [document.publisher, document.url].filter(Boolean).join(' · ');
  const label = (draftName) => {
    const d = state.drafts.get(draftName);
    return d ? `the draft of ${d.statement.actor ? actorName(d.statement.actor) : d.unresolvedMention}` : 'a reviewed draft';
  };
  renderArticle($('article-text'), document, queue(), state.current, label);
}

function renderQueue() {
  const drafts = queue();
  if (state.current && !drafts.some((d) => d.name === state.current)) state.current = drafts[0]?.name ?? null;
  if (!state.current && drafts.length) state.current = drafts[0].name;
  const ctx = { actorName, eventId: state.eventId, session: state.session };
  // The focus on a card (or its buttons) follows the selection; the focus
  // in a card's open form (an edit, a reason) stays where it is: the card
  // is kept as it is, so that another reviewer's change elsewhere in the
  // queue, or a late answer, neither wipes the form nor moves the focus.
  const active = document.activeElement;
  const focused = active?.closest?.('.draft-card') && !active.closest('form');
  const open = new Map([...$('queue').querySelectorAll('.draft-card')]
    .filter((card) => card.querySelector('form')).map((card) => [card.dataset.draft, card]));
  placeChildren($('queue'), drafts.map((d) => {
    const kept = open.get(d.name);
    if (kept && kept.dataset.etag === d.etag) {
      kept.classList.toggle('selected', d.name === state.current);
      return kept;
    }
    return draftCard(d, { ...ctx, selected: d.name === state.current });
  }));
  $('queue-count').textContent = `${drafts.length} pending`;
  $('queue-empty').hidden = drafts.length > 0;
  if (focused) cardOf(state.current)?.focus();
  else if ($('queue').contains(active) && document.activeElement !== active) active.focus();
  const selected = state.drafts.get(state.current);
  const doc = selected?.evidence.find((e) => e.document === state.documentName)?.document ?? selected?.evidence[0]?.document;
  if (doc && doc !== state.documentName && !$('article-pane').contains(document.activeElement)) state.documentName = doc;
  renderDocumentPicker();
  renderArticlePane();
}

// Puts `nodes` in `parent` in order, moving only those out of place: a
// kept card is not taken out of the page, so the focus in it stays (a blur
// would close its actor search's matches).
function placeChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] ?? null);
  });
}

const cardOf = (name) => (name ? $('queue').querySelector(`[data-draft="${CSS.escape(name)}"]`) : null);

function select(name) {
  state.current = name;
  renderQueue();
  cardOf(name)?.focus();
}

function move(step) {
  const drafts = queue();
  if (!drafts.length) return;
  const index = Math.max(0, drafts.findIndex((d) => d.name === state.current));
  select(drafts[Math.min(drafts.length - 1, Math.max(0, index + step))].name);
}

// ---- Review -------------------------------------------------------------

async function accept(draft, corrections = {}, form = null) {
  try {
    const { statement } = await api('POST', `/api/${draft.name}/accept`, {
      ...corrections, etag: draft.etag, allowDuplicate: Boolean(draft.duplicateOf),
    });
    state.drafts.delete(draft.name);
    state.reviewed.add(draft.name);
    toast('Accepted: ', el('a', { href: `/?event=${encodeURIComponent(state.eventId)}#${statement.name}` },
      `${actorName(statement.actor)} ${statement.stance.replace(/^STANCE_/, '').toLowerCase()}`), ` (${statement.name})`);
    renderQueue();
    // The focus moves on only if it went with the accepted card: the
    // stream may have removed that card before this answer came, and the
    // reviewer may already be at work on the next one.
    if (!$('queue').contains(document.activeElement)) cardOf(state.current)?.focus();
  } catch (error) {
    // Said where the reviewer can see it now: the queue may have been
    // drawn again, or the card taken away (reviewed by someone else).
    const card = cardOf(draft.name);
    if (form?.isConnected) showError(form, error);
    else if (card) card.querySelector('.card-error').textContent = `${error.code}: ${error.message}`;
    else toast(`The draft of ${draft.statement.actor ? actorName(draft.statement.actor) : draft.unresolvedMention} was not accepted: ${error.code}: ${error.message}`);
  }
}

// The unresolved card's own actor search: accept with the actor picked.
function nameActor(form, draft) {
  const actor = form.querySelector('[data-field="actor"]').dataset.actor;
  if (!actor) {
    showError(form, { field: 'actor', code: 'INVALID_ARGUMENT', message: 'Pick the actor from the directory first.' });
    return;
  }
  accept(draft, { statement: { actor }, updateMask: ['actor'] }, form);
}

function openEdit(draft, focusField) {
  const card = cardOf(draft.name);
  if (!card || card.querySelector('.edit-form, .reject-form')) return;
  card.querySelector('.name-actor-form')?.remove();
  const form = editForm(draft, { actorName });
  card.append(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const edits = editedFields(form, draft);
    if (!draft.statement.actor && !edits.updateMask.includes('actor')) {
      showError(form, { field: 'actor', code: 'INVALID_ARGUMENT', message: 'Pick the actor from the directory first.' });
      return;
    }
    accept(draft, edits.updateMask.length ? edits : {}, form);
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { form.remove(); card.focus(); }
  });
  form.querySelector('[data-action="cancel"]').addEventListener('click', () => { form.remove(); card.focus(); });
  form.querySelector(`[data-field="${focusField}"]`)?.focus();
}

function sendReject(name) {
  const pending = state.rejecting.get(name);
  if (!pending) return;
  clearTimeout(pending.timer);
  state.rejecting.delete(name);
  const draft = state.drafts.get(name);
  api('POST', `/api/${name}/reject`, { reason: pending.reason, etag: draft?.etag ?? '' }, { keepalive: true }).catch((error) => {
    toast(`The rejection of ${name} failed: ${error.message}`);
    renderQueue();
  });
  if (state.lastRejected === name) state.lastRejected = null;
}

function openReject(draft) {
  const card = cardOf(draft.name);
  if (!card || card.querySelector('.edit-form, .reject-form')) return;
  const form = rejectForm();
  card.append(form);
  const input = form.querySelector('input');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = input.value.trim();
    if (!reason) {
      showError(form, { field: 'reason', code: 'INVALID_ARGUMENT', message: 'Say why the draft is rejected.' });
      return;
    }
    const drafts = queue();
    const next = drafts[drafts.findIndex((d) => d.name === draft.name) + 1] ?? drafts.at(-2);
    state.rejecting.set(draft.name, { reason, timer: setTimeout(() => sendReject(draft.name), REJECT_GRACE_MS) });
    state.lastRejected = draft.name;
    const undo = el('button', { type: 'button', id: 'undo-button', 'aria-keyshortcuts': 'u' }, 'Undo', el('kbd', { 'aria-hidden': 'true' }, 'u'));
    undo.addEventListener('click', undoReject);
    state.undoOffer = el('span', { class: 'undo-offer' },
      `Rejected the draft of ${draft.statement.actor ? actorName(draft.statement.actor) : draft.unresolvedMention} (sent in ${REJECT_GRACE_MS / 1000} s). `, undo);
    toast(state.undoOffer);
    state.current = next?.name ?? null;
    renderQueue();
    cardOf(state.current)?.focus();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { form.remove(); card.focus(); }
  });
  form.querySelector('[data-action="cancel"]').addEventListener('click', () => { form.remove(); card.focus(); });
  input.focus();
  input.select();
}

function undoReject() {
  const name = state.lastRejected;
  const pending = name && state.rejecting.get(name);
  if (!pending) return;
  clearTimeout(pending.timer);
  state.rejecting.delete(name);
  state.lastRejected = null;
  toast('Rejection undone.');
  select(name);
}

function act(action, draft) {
  if (!draft) return;
  if (!state.session.canWrite) {
    toast(state.session.reason);
    return;
  }
  if (action === 'accept') {
    if (!draft.statement.actor) openEdit(draft, 'actor');
    else accept(draft);
  } else if (action === 'edit') {
    openEdit(draft, draft.statement.actor ? 'stance' : 'actor');
  } else if (action === 'reject') {
    openReject(draft);
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.('input, textarea, select, form')) return;
  const draft = state.drafts.get(state.current);
  const keys = { j: () => move(1), k: () => move(-1), a: () => act('accept', draft), e: () => act('edit', draft), r: () => act('reject', draft), u: undoReject };
  const run = keys[event.key];
  if (!run) return;
  event.preventDefault();
  run();
}

export { act, nameActor, onKey, openEdit, select, state, setConnection, toast, renderQueue, sendReject, loadDocument };
