// Correcting and retracting a statement from its card on the board: the
// card's buttons open a dialog whose form is sent through the board server
// (PATCH /api/statements/{id}, POST .../retract) with the statement's etag,
// so a change made meanwhile by someone else is refused, not overwritten.
// The board then shows the result through its stream, like any change.

import { el } from './dom.js';
import { clearErrors, field, showError, stanceSelect } from './forms.js';
import { api } from './session.js';

let access = { canWrite: false, reason: 'Sign in with a token that may write to correct or retract.' };

export function setWriteAccess(session) {
  access = session.canWrite ? session
    : { canWrite: false, reason: session.reason || 'Sign in with a token that may write to correct or retract.' };
}

// The buttons of a card for statement `name`.
export function editButtons(name, actorLabel) {
  const button = (action, label) => el('button', {
    type: 'button', class: 'card-button', 'data-action': action, 'data-statement': name,
    disabled: !access.canWrite, title: access.canWrite ? `${label}: ${actorLabel}` : access.reason,
    'aria-label': `${label} the statement of ${actorLabel}`,
  }, label);
  return el('div', { class: 'card-edit' }, button('correct', 'Correct'), button('retract', 'Retract'));
}

function correctForm(statement) {
  const quote = el('textarea', { rows: '3' });
  quote.value = statement.quote;
  const summary = el('textarea', { rows: '2' });
  summary.value = statement.summary;
  return [
    field('Stance', stanceSelect(statement.stance), 'stance'),
    field('Quote', quote, 'quote'),
    field('Summary', summary, 'summary'),
  ];
}

function corrections(form, statement) {
  const value = (name) => form.querySelector(`[data-field="${name}"]`).value.trim();
  const changed = {};
  if (value('stance') !== statement.stance) changed.stance = value('stance') || 'STANCE_UNSPECIFIED';
  if (value('quote') !== statement.quote) changed.quote = value('quote');
  if (value('summary') !== statement.summary) changed.summary = value('summary');
  return changed;
}

async function openDialog(action, name, opener) {
  const dialog = document.getElementById('statement-dialog');
  const statement = await api('GET', `/api/${name}`);
  const form = el('form', { method: 'dialog', class: 'dialog-form' },
    el('h2', { id: 'dialog-title' }, `${action === 'correct' ? 'Correct' : 'Retract'} ${name}`),
    action === 'correct' ? correctForm(statement)
      : field('Reason for retracting', el('input', { type: 'text' }), 'reason'),
    el('p', { class: 'form-error', role: 'alert' }),
    el('div', { class: 'form-buttons' },
      el('button', { type: 'submit', class: action === 'correct' ? 'primary' : 'danger' }, action === 'correct' ? 'Save the correction' : 'Retract'),
      el('button', { type: 'button', 'data-action': 'close' }, 'Cancel')));
  dialog.replaceChildren(form);
  dialog.setAttribute('aria-labelledby', 'dialog-title');
  const close = () => { dialog.close(); opener?.focus(); };
  form.querySelector('[data-action="close"]').addEventListener('click', close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const id = name.replace(/^statements\//, '');
      if (action === 'correct') {
        const changed = corrections(form, statement);
        if (Object.keys(changed).length) {
          await api('PATCH', `/api/statements/${id}`, { statement: changed, updateMask: Object.keys(changed), etag: statement.etag });
        }
      } else {
        await api('POST', `/api/statements/${id}/retract`, { reason: form.querySelector('[data-field="reason"]').value.trim(), etag: statement.etag });
      }
      close();
    } catch (error) {
      showError(form, error);
    }
  });
  dialog.showModal();
  form.querySelector('[data-field]')?.focus();
}

// Opens the dialog for a click on a card's button inside `container`.
export function listenForEdits(container) {
  container.addEventListener('click', (event) => {
    const button = event.target.closest('.card-button');
    if (!button || button.disabled) return;
    openDialog(button.dataset.action, button.dataset.statement, button).catch((error) => {
      button.title = error.message;
    });
  });
}
