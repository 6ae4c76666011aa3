// A draft as a card of the review queue: who (actor, speaker), what (stance,
// actions, quote), how sure the extractor is, a duplicate's link, and the
// review buttons. The edit and reject forms open inside the card.

import { el, formatDate } from './dom.js';
import { actorSearch } from './actor_search.js';
import { field, stanceSelect } from './forms.js';
import { stanceOf } from './stances.js';

const ACTION = (kind) => kind.replace(/^ACTION_KIND_/, '').toLowerCase().replace(/_/g, ' ');
const PERCENT = (x) => `${Math.round((x ?? 0) * 100)}%`;

function confidenceLine(confidence) {
  if (!confidence) return null;
  const parts = ['actor', 'stance', 'quote', 'speaker'].map((k) => `${k} ${PERCENT(confidence[k])}`);
  return el('p', { class: 'draft-confidence' }, `Confidence: ${parts.join(' · ')}`);
}

function actionsList(actions, actorName) {
  if (!actions?.length) return null;
  return el('ul', { class: 'draft-actions', 'aria-label': 'Actions' }, actions.map((a) => el('li', {},
    ACTION(a.kind),
    a.targets?.length ? ` → ${a.targets.map(actorName).join(', ')}` : '',
    a.deadline ? ` (by ${formatDate(a.deadline)})` : '',
    a.description ? ` — ${a.description}` : '')));
}

// The card's body. ctx: {actorName(name), eventId}.
function body(draft, ctx) {
  const s = draft.statement;
  const stance = stanceOf(s.stance);
  const who = s.actor
    ? el('h3', { class: 'draft-actor' }, ctx.actorName(s.actor))
    : el('h3', { class: 'draft-actor draft-unresolved' }, `Unresolved: “${draft.unresolvedMention}”`);
  const speaker = s.speaker?.personName || s.speaker?.office
    ? el('p', { class: 'draft-speaker' }, [s.speaker.personName, s.speaker.office].filter(Boolean).join(', '))
    : null;
  const words = s.quote
    ? el('blockquote', { class: 'draft-quote' }, s.quote)
    : el('p', { class: 'draft-summary' }, `Summary (not a quote): ${s.summary}`);
  const duplicate = draft.duplicateOf
    ? el('p', { class: 'draft-duplicate' }, 'Duplicates a recorded statement: ',
      el('a', { href: `/?event=${encodeURIComponent(ctx.eventId)}#${draft.duplicateOf}`, class: 'duplicate-link' }, draft.duplicateOf))
    : null;
  const unresolved = s.actor ? null
    : el('p', { class: 'draft-note' }, 'No actor of the directory matches this mention: name one to accept it.');
  return [
    el('div', { class: 'draft-head' }, who,
      el('span', { class: `badge stance-${stance.key}` }, el('span', { 'aria-hidden': 'true' }, stance.icon), ` ${stance.label}`)),
    unresolved, speaker, words, actionsList(s.actions, ctx.actorName),
    s.issueTime ? el('p', { class: 'draft-date' }, `Issued ${formatDate(s.issueTime)}`) : null,
    confidenceLine(draft.confidence), duplicate,
  ];
}

function button(label, action, key, session, extra = {}) {
  return el('button', {
    type: 'button', class: `review-button review-${action}`, 'data-action': action,
    'aria-keyshortcuts': key, disabled: !session.canWrite,
    'aria-describedby': session.canWrite ? null : 'write-note',
    title: session.canWrite ? `${label} (${key})` : session.reason, ...extra,
  }, label, el('kbd', { 'aria-hidden': 'true' }, key));
}

// The card for `draft`. ctx: {actorName, eventId, session: {canWrite,
// reason}, selected, actors (name -> view)}.
export function draftCard(draft, ctx) {
  const card = el('li', {
    class: `draft-card${ctx.selected ? ' selected' : ''}`, tabindex: '-1', 'data-draft': draft.name, 'data-etag': draft.etag,
    'aria-current': ctx.selected ? 'true' : null, 'aria-label': `Draft: ${draft.statement.actor ? ctx.actorName(draft.statement.actor) : draft.unresolvedMention}`,
  }, body(draft, ctx));
  // An unresolved mention offers the directory at once.
  if (!draft.statement.actor && ctx.session.canWrite) {
    card.append(el('form', { class: 'name-actor-form', 'aria-label': `Name the actor of “${draft.unresolvedMention}”` },
      actorSearch({ label: `Who is “${draft.unresolvedMention}”?`, field: 'actor' }),
      el('p', { class: 'form-error', role: 'alert' }),
      el('button', { type: 'submit', class: 'primary' }, 'Accept as this actor')));
  }
  const acceptLabel = draft.duplicateOf ? 'Accept anyway' : 'Accept';
  card.append(el('div', { class: 'review-buttons' },
    button(acceptLabel, 'accept', 'a', ctx.session),
    button('Edit, then accept', 'edit', 'e', ctx.session),
    button('Reject', 'reject', 'r', ctx.session)));
  card.append(el('p', { class: 'form-error card-error', role: 'alert' }));
  return card;
}

// The edit form: actor, stance, speaker, quote. Resolves nothing itself:
// review.js reads it with editedFields().
export function editForm(draft, ctx) {
  const s = draft.statement;
  const actor = s.actor ? { name: s.actor, displayName: ctx.actorName(s.actor) } : null;
  const quote = el('textarea', { rows: '3' });
  quote.value = s.quote;
  const person = el('input', { type: 'text', value: s.speaker?.personName ?? '' });
  const office = el('input', { type: 'text', value: s.speaker?.office ?? '' });
  return el('form', { class: 'edit-form', 'aria-label': 'Edit the draft, then accept' },
    actorSearch({ label: 'Actor', field: 'actor', actor }),
    field('Stance', stanceSelect(s.stance), 'stance'),
    field('Speaker', person, 'speaker.person_name'),
    field('Office', office, 'speaker.office'),
    field('Quote', quote, 'quote'),
    el('p', { class: 'form-error', role: 'alert' }),
    el('div', { class: 'form-buttons' },
      el('button', { type: 'submit', class: 'primary' }, 'Save and accept'),
      el('button', { type: 'button', 'data-action': 'cancel' }, 'Cancel')));
}

// The fields of `form` that differ from `draft`'s proposal: {statement,
// updateMask}.
export function editedFields(form, draft) {
  const s = draft.statement;
  const value = (name) => form.querySelector(`[data-field="${name}"]`);
  const statement = {};
  const mask = [];
  const actor = value('actor').dataset.actor;
  if (actor && actor !== s.actor) { statement.actor = actor; mask.push('actor'); }
  if (value('stance').value !== s.stance) { statement.stance = value('stance').value || 'STANCE_UNSPECIFIED'; mask.push('stance'); }
  const speaker = { personName: value('speaker.person_name').value.trim(), office: value('speaker.office').value.trim() };
  if (speaker.personName !== (s.speaker?.personName ?? '') || speaker.office !== (s.speaker?.office ?? '')) {
    statement.speaker = speaker;
    mask.push('speaker');
  }
  if (value('quote').value.trim() !== s.quote) { statement.quote = value('quote').value.trim(); mask.push('quote'); }
  return { statement, updateMask: mask };
}

// The reject form: a reason, then confirm.
export function rejectForm() {
  const reason = el('input', { type: 'text', value: 'not a reaction' });
  return el('form', { class: 'reject-form', 'aria-label': 'Reject the draft' },
    field('Reason for rejecting', reason, 'reason'),
    el('div', { class: 'form-buttons' },
      el('button', { type: 'submit', class: 'danger' }, 'Reject'),
      el('button', { type: 'button', 'data-action': 'cancel' }, 'Cancel')));
}
