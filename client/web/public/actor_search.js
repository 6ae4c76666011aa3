// A search-as-you-type field over the actor directory (GET /api/actors?q=),
// as an ARIA combobox: type, move with the arrow keys, pick with Enter or a
// click. The picked actor's name is in `input.dataset.actor`.

import { el } from './dom.js';
import { api } from './session.js';

const DEBOUNCE_MS = 120;
let counter = 0;

// Returns the <div> holding the labelled field. `field` names it for the
// server's validation errors (data-field); `actor` ({name, displayName}) is
// the initial value.
export function actorSearch({ label, field, actor = null, onPick = () => {} }) {
  const id = `actor-search-${++counter}`;
  const input = el('input', {
    id, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${id}-list`,
    'data-field': field, class: 'actor-input', placeholder: 'Type to search the directory',
  });
  const list = el('ul', { id: `${id}-list`, role: 'listbox', class: 'actor-options', 'aria-label': `${label}: matches`, hidden: true });
  const set = (picked) => {
    input.dataset.actor = picked?.name ?? '';
    input.value = picked ? `${picked.displayName} (${picked.name.replace(/^actors\//, '')})` : '';
  };
  set(actor);
  let options = [];
  let active = -1;
  let timer = null;
  let searching = false;  // the matches for the text typed are not shown yet
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    for (const [i, node] of [...list.children].entries()) node.setAttribute('aria-selected', String(i === index));
    if (index >= 0) input.setAttribute('aria-activedescendant', `${id}-opt-${index}`);
  };
  const pick = (index) => {
    set(options[index]);
    close();
    onPick(options[index]);
  };
  const search = async () => {
    const query = input.value.trim();
    input.dataset.actor = '';
    if (!query) { searching = false; close(); return; }
    try {
      ({ actors: options } = await api('GET', `/api/actors?q=${encodeURIComponent(query)}`));
    } catch {
      options = [];
    }
    if (input.value.trim() !== query) return;  // a later search is on its way
    searching = false;
    list.replaceChildren(...options.map((a, i) => {
      const option = el('li', { id: `${id}-opt-${i}`, role: 'option', 'aria-selected': 'false', 'data-actor': a.name },
        a.displayName, el('span', { class: 'actor-id' }, ` ${a.name.replace(/^actors\//, '')}`));
      option.addEventListener('mousedown', (event) => { event.preventDefault(); pick(i); });
      return option;
    }));
    if (options.length === 0) list.replaceChildren(el('li', { class: 'actor-none' }, 'No actor matches'));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(options.length ? 0 : -1);
  };
  input.addEventListener('input', () => {
    // The matches shown are for the text before: Enter must not pick one.
    input.dataset.actor = '';
    searching = true;
    close();
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && searching) {
      // Neither a pick nor the form's submission: the matches are coming.
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      if (options.length) highlight((active + step + options.length) % options.length);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      event.stopPropagation();
      pick(active);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  });
  // Closed when the focus has gone elsewhere (not when it came back).
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) close(); }, 100));
  return el('div', { class: 'actor-search' }, el('label', { for: id }, label), input, list,
    el('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': field }));
}
