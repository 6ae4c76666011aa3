// Form helpers shared by the review desk and the entry form: labelled
// fields, and the server's validation errors shown on the field they name.

import { el } from './dom.js';
import { STANCES } from './stances.js';

let counter = 0;

// A labelled control with a place for its error. `field` is the statement
// field the server names ("quote", "speaker.office").
export function field(label, control, fieldName) {
  const id = control.id || `field-${++counter}`;
  control.id = id;
  control.dataset.field = fieldName;
  control.setAttribute('aria-describedby', `${id}-error`);
  return el('div', { class: 'field' }, el('label', { for: id }, label), control,
    el('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': fieldName }));
}

export function stanceSelect(value = '') {
  return el('select', {},
    el('option', { value: '' }, '— choose —'),
    ...STANCES.map((s) => {
      const option = el('option', { value: `STANCE_${s.key.toUpperCase()}` }, s.label);
      option.selected = option.value === value;
      return option;
    }));
}

export function clearErrors(form) {
  for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

// Shows `error` (ApiError) on the field it names, or in the form's general
// error (.form-error) when no field of the form matches; focuses the field.
export function showError(form, error) {
  clearErrors(form);
  const named = (error.field ?? '').replace(/^(statement|request)\./, '');
  const candidates = [named, named.split('.')[0], named.replace(/\[\d+\]/g, '')];
  for (const name of candidates) {
    if (!name) continue;
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (control && slot) {
      slot.textContent = error.message;
      control.setAttribute('aria-invalid', 'true');
      control.focus();
      return;
    }
  }
  // A whole entry of a list ("sources[0]"): its row's slot, its first field.
  const row = form.querySelector(`[data-error-for="${CSS.escape(named)}"]`);
  const first = form.querySelector(`[data-field^="${CSS.escape(named)}."]`);
  if (row && first) {
    row.textContent = error.message;
    first.setAttribute('aria-invalid', 'true');
    first.focus();
    return;
  }
  const general = form.querySelector('.form-error');
  if (general) general.textContent = `${error.code}: ${error.message}`;
}
