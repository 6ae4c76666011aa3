// The live feed: one entry per change, newest first. A retraction strikes
// the entries of the statement it retracts; a correction marks the earlier
// ones as superseded.

import { el, formatDate, formatTime } from './dom.js';
import { stanceBadge, words } from './grid.js';
import { stanceOf } from './stances.js';

const KINDS = {
  CHANGE_KIND_CREATED: { key: 'created', label: 'New', icon: '+' },
  CHANGE_KIND_UPDATED: { key: 'updated', label: 'Corrected', icon: '✎\uFE0E' },
  CHANGE_KIND_RETRACTED: { key: 'retracted', label: 'Retracted', icon: '⊘\uFE0E' },
};
const MAX_ENTRIES = 300;

function entry(model, change, live) {
  const kind = KINDS[change.kind] ?? KINDS.CHANGE_KIND_UPDATED;
  const { statement } = change;
  return el('li', {
    class: `feed-entry kind-${kind.key}${live ? ' live' : ''}`,
    'data-statement': statement.name,
    'data-sequence': change.sequence,
    'data-kind': kind.key,
  },
  el('div', { class: 'feed-top' },
    el('span', { class: `feed-kind kind-${kind.key}` },
      el('span', { 'aria-hidden': 'true' }, kind.icon), ` ${kind.label}`),
    el('time', { datetime: change.commitTime, title: `committed ${formatTime(change.commitTime)}` },
      live ? formatTime(change.commitTime) : formatDate(statement.issueTime))),
  el('div', { class: 'feed-actor' }, model.actorName(statement.actor), ' ', stanceBadge(stanceOf(statement.stance), 'small'),
    statement.stanceToward ? ` ${model.actorName(statement.stanceToward)}` : null),
  words(statement, 'feed', 220),
  kind.key === 'retracted' && statement.retraction?.reason
    ? el('p', { class: 'feed-reason' }, `Reason: ${statement.retraction.reason}`) : null);
}

function markEarlier(feed, name, className, label) {
  for (const old of feed.querySelectorAll(`.feed-entry[data-statement="${CSS.escape(name)}"]`)) {
    if (old.classList.contains(className) || old.dataset.kind === 'retracted') continue;
    old.classList.add(className);
    old.querySelector('.feed-top').append(el('span', { class: 'feed-note' }, label));
  }
}

// Adds a change at the top of the feed. `live` is false while the stored
// changes are replayed.
export function addToFeed(feed, model, change, live) {
  const name = change.statement.name;
  if (change.kind === 'CHANGE_KIND_RETRACTED') markEarlier(feed, name, 'struck', 'retracted');
  else if (change.kind === 'CHANGE_KIND_UPDATED') markEarlier(feed, name, 'superseded', 'since corrected');
  feed.prepend(entry(model, change, live));
  while (feed.children.length > MAX_ENTRIES) feed.lastElementChild.remove();
}
