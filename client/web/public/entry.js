// The entry form (/entry?event=ID): a statement recorded by hand through
// POST /api/statements, with the server's validation errors shown on the
// field they name and a duplicate's link.

import { el } from './dom.js';
import { actorSearch } from './actor_search.js';
import { clearErrors, field, showError, stanceSelect } from './forms.js';
import { api, mountSignIn, sessionInfo } from './session.js';

const $ = (id) => document.getElementById(id);
const ACTION_KINDS = ['CONDEMN', 'EXPRESS_CONCERN', 'DEMAND_RELEASE', 'CALL_FOR_DIALOGUE', 'OFFER_MEDIATION',
  'MEDIATION_VISIT', 'THREATEN_FORCE', 'ULTIMATUM', 'IMPOSE_SANCTIONS', 'SUSPEND_MEMBERSHIP', 'SUSPEND_AID',
  'CLOSE_BORDERS', 'EVACUATE_CITIZENS', 'RECOGNISE', 'REFUSE_RECOGNITION', 'OFFER_SUPPORT', 'OTHER'];
const MEDIA = ['NEWS_ARTICLE', 'WIRE', 'OFFICIAL_COMMUNIQUE', 'PRESS_CONFERENCE', 'BROADCAST', 'SOCIAL_MEDIA', 'INTERVIEW'];
const label = (key) => key.toLowerCase().replace(/_/g, ' ');

let requestId = crypto.randomUUID();
const params = new URLSearchParams(location.search);

function eventField(events) {
  const input = el('input', { type: 'text', list: 'event-options', autocomplete: 'off', value: params.get('event') ?? '' });
  const list = el('datalist', { id: 'event-options' }, events.map((e) => el('option', { value: e.name.replace(/^events\//, '') }, e.title)));
  const wrapper = field('Event', input, 'event');
  wrapper.append(list);
  return wrapper;
}

function actionRow(index) {
  const kind = el('select', {}, ACTION_KINDS.map((k) => el('option', { value: `ACTION_KIND_${k}` }, label(k))));
  const targets = el('input', { type: 'text', placeholder: 'actor ids, comma-separated' });
  const deadline = el('input', { type: 'date' });
  const remove = el('button', { type: 'button', class: 'remove-row' }, `Remove action ${index + 1}`);
  const row = el('div', { class: 'field-row action-row' },
    field(`Action ${index + 1}`, kind, `actions[${index}].kind`),
    field('Targets', targets, `actions[${index}].targets`),
    field('Deadline', deadline, `actions[${index}].deadline`), remove,
    el('p', { class: 'field-error', 'data-error-for': `actions[${index}]` }));
  remove.addEventListener('click', () => { row.remove(); renumber(); });
  return row;
}

function sourceRow(index) {
  const medium = el('select', {}, MEDIA.map((m) => el('option', { value: `SOURCE_MEDIUM_${m}` }, label(m))));
  const row = el('div', { class: 'field-row source-row' },
    field(`Source ${index + 1}: publisher`, el('input', { type: 'text' }), `sources[${index}].publisher`),
    field('URL', el('input', { type: 'url' }), `sources[${index}].url`),
    field('Title', el('input', { type: 'text' }), `sources[${index}].title`),
    field('Medium', medium, `sources[${index}].medium`),
    el('p', { class: 'field-error', 'data-error-for': `sources[${index}]` }));
  return row;
}

// Rows renumbered after a removal, so the server's "actions[1]" is the
// second row shown.
function renumber() {
  for (const [i, row] of [...$('action-rows').children].entries()) {
    for (const node of row.querySelectorAll('[data-field], [data-error-for]')) {
      for (const attr of ['data-field', 'data-error-for']) {
        const value = node.getAttribute(attr);
        if (value) node.setAttribute(attr, value.replace(/^actions\[\d+\]/, `actions[${i}]`));
      }
    }
  }
}

const value = (name) => $('entry-form').querySelector(`[data-field="${name}"]`);
const dayStart = (date) => (date ? `${date}T00:00:00Z` : undefined);

function readStatement() {
  const statement = {
    event: `events/${value('event').value.trim()}`,
    actor: value('actor').dataset.actor || value('actor').value.trim(),
    stance: value('stance').value || 'STANCE_UNSPECIFIED',
    speaker: { personName: value('speaker.person_name').value.trim(), office: value('speaker.office').value.trim() },
    quote: value('quote').value.trim(),
    summary: value('summary').value.trim(),
    language: value('language').value.trim(),
    actions: [...$('action-rows').children].map((row, i) => ({
      kind: value(`actions[${i}].kind`).value,
      targets: value(`actions[${i}].targets`).value.split(',').map((t) => t.trim()).filter(Boolean)
        .map((t) => (t.includes('/') ? t : `actors/${t}`)),
      deadline: dayStart(value(`actions[${i}].deadline`).value),
    })),
    sources: [...$('source-rows').children].map((row, i) => ({
      publisher: value(`sources[${i}].publisher`).value.trim(),
      url: value(`sources[${i}].url`).value.trim(),
      title: value(`sources[${i}].title`).value.trim(),
      medium: value(`sources[${i}].medium`).value,
    })),
  };
  const issued = value('issue_time').value;
  if (issued) {
    statement.issueTime = new Date(`${issued}Z`).toISOString();
    statement.issueTimePrecision = 'TIME_PRECISION_MINUTE';
  }
  return statement;
}

async function submit(event) {
  event.preventDefault();
  const form = $('entry-form');
  clearErrors(form);
  $('entry-result').textContent = '';
  const allowDuplicate = $('duplicate').querySelector('input')?.checked ?? false;
  try {
    const statement = await api('POST', '/api/statements', { statement: readStatement(), requestId, allowDuplicate });
    requestId = crypto.randomUUID();
    $('duplicate').hidden = true;
    $('entry-result').replaceChildren('Recorded: ', el('a', {
      id: 'recorded-link', href: `/?event=${encodeURIComponent(statement.event.replace(/^events\//, ''))}#${statement.name}`,
    }, statement.name));
  } catch (error) {
    if (error.code === 'ALREADY_EXISTS' && error.resourceName) {
      const id = 'allow-duplicate';
      $('duplicate').replaceChildren(`It duplicates a recorded statement: `,
        el('a', { href: `/?event=${encodeURIComponent(value('event').value.trim())}#${error.resourceName}` }, error.resourceName),
        el('label', { for: id }, el('input', { type: 'checkbox', id }), ' Record it anyway'));
      $('duplicate').hidden = false;
    }
    showError(form, error);
  }
}

async function main() {
  // Wall-screen mode, as on the board: dark, larger type.
  document.documentElement.classList.toggle('wall', params.get('wall') === '1');
  mountSignIn($('signin-slot'), () => location.reload());
  const session = await sessionInfo();
  const { events } = await api('GET', '/api/events').catch(() => ({ events: [] }));
  const eventId = params.get('event') ?? '';
  $('board-link').href = `/?event=${encodeURIComponent(eventId)}`;
  $('review-link').href = `/review?event=${encodeURIComponent(eventId)}`;
  $('who').append(eventField(events), actorSearch({ label: 'Actor', field: 'actor' }));
  $('what').append(field('Stance', stanceSelect(), 'stance'),
    field('Issued (UTC)', el('input', { type: 'datetime-local' }), 'issue_time'),
    field('Language', el('input', { type: 'text', value: 'en', size: '4' }), 'language'));
  $('speaker').append(field('Speaker', el('input', { type: 'text' }), 'speaker.person_name'),
    field('Office', el('input', { type: 'text' }), 'speaker.office'));
  $('words').append(field('Quote (the exact words)', el('textarea', { rows: '3' }), 'quote'),
    field('Summary (when there is no quote)', el('textarea', { rows: '2' }), 'summary'));
  $('source-rows').append(sourceRow(0));
  $('add-action').addEventListener('click', () => $('action-rows').append(actionRow($('action-rows').children.length)));
  $('add-source').addEventListener('click', () => $('source-rows').append(sourceRow($('source-rows').children.length)));
  $('entry-form').addEventListener('submit', submit);
  if (!session.canWrite) {
    $('write-note').hidden = false;
    $('write-note').textContent = session.canRead ? session.reason : `Cannot read: ${session.reason}`;
    $('entry-submit').disabled = true;
    $('entry-submit').setAttribute('aria-describedby', 'write-note');
  }
}

main();
