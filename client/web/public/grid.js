// The roll call: one card per reacting actor with its latest statement,
// grouped by bloc (membership as of the event, from the summary).

import { editButtons } from './board_edit.js';
import { el, formatDate, safeHref } from './dom.js';
import { STANCES, positionOf, stanceOf } from './stances.js';

const KIND_LABELS = {
  ACTOR_KIND_STATE: 'State',
  ACTOR_KIND_REGIONAL_BLOC: 'Regional bloc',
  ACTOR_KIND_INTERNATIONAL_ORGANISATION: 'International organisation',
  ACTOR_KIND_GOVERNMENT_BODY: 'Government body',
  ACTOR_KIND_ARMED_FORCES: 'Armed forces',
  ACTOR_KIND_PARTY: 'Party',
  ACTOR_KIND_GROUP: 'Group',
  ACTOR_KIND_PERSON: 'Person',
};

export function stanceBadge(stance, extraClass = '') {
  return el('span', { class: `badge stance-${stance.key} ${extraClass}`.trim() },
    el('span', { class: 'badge-icon', 'aria-hidden': 'true' }, stance.icon), ` ${stance.label}`);
}

// "Against" (the actor's position on the event), when the summary has it.
function positionBadge(reaction) {
  const position = positionOf(reaction?.position);
  return position
    ? el('span', { class: `position position-${position.key}`, title: 'Position on the event' }, position.label)
    : null;
}

// What was said: a verbatim quote in quotation marks, or else the summary,
// labelled as the recorder's words and never in quotation marks.
export function words(statement, className, limit = Infinity) {
  const cut = (text) => (text.length > limit ? `${text.slice(0, limit)}…` : text);
  if (statement.quote) {
    return el(className === 'feed' ? 'q' : 'blockquote',
      { class: `${className}-quote`, lang: statement.language || null }, cut(statement.quote));
  }
  return el('p', { class: `${className}-quote ${className}-summary` },
    el('span', { class: 'words-label' }, 'Summary (not a quote): '), cut(statement.summary));
}

function speakerLine(speaker) {
  const parts = [speaker?.personName, speaker?.office].filter(Boolean);
  return parts.length ? el('p', { class: 'card-speaker' }, `— ${parts.join(', ')}`) : null;
}

function sourceLinks(sources) {
  const items = sources.filter((s) => s.publisher || s.url).slice(0, 3).map((source) => {
    const href = safeHref(source.url) || safeHref(source.archiveUrl);
    const label = source.publisher || new URL(href).hostname;
    return el('li', {}, href
      ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', title: source.title || null }, label)
      : label);
  });
  return items.length ? el('ul', { class: 'card-sources', 'aria-label': 'Sources' }, items) : null;
}

function historyLine(reaction, count) {
  // Changes of side, not of wording: "supports the government, then
  // condemns the coup" is against throughout.
  const moves = (reaction?.positionHistory ?? []).map((p) => positionOf(p)?.label.toLowerCase() ?? '?');
  const parts = [];
  if (moves.length > 1) parts.push(moves.join(' → '));
  parts.push(count === 1 ? '1 statement' : `${count} statements`);
  return el('p', { class: 'card-history' }, parts.join(' · '));
}

function card(model, { actor, latest, count }, fresh) {
  const stance = stanceOf(latest.stance);
  const reaction = model.reactionOf(actor);
  const info = model.actors.get(actor);
  const corrected = Number(latest.revision) > 1;
  return el('article', {
    class: `card stance-${stance.key}${fresh ? ' fresh' : ''}`,
    'data-actor': actor,
    'data-statement': latest.name,
    'data-stance': stance.key,
    'data-position': positionOf(reaction?.position)?.key ?? null,
  },
  el('div', { class: 'card-band', 'aria-hidden': 'true' }),
  el('div', { class: 'card-body' },
    el('div', { class: 'card-top' }, positionBadge(reaction), stanceBadge(stance),
      latest.stanceToward ? el('span', { class: 'card-toward' }, model.actorName(latest.stanceToward)) : null,
      el('time', { class: 'card-date', datetime: latest.issueTime }, formatDate(latest.issueTime))),
    el('h3', { class: 'card-actor' }, model.actorName(actor)),
    el('p', { class: 'card-kind' }, KIND_LABELS[info?.kind] ?? '', corrected ? el('span', { class: 'tag' }, 'corrected') : null),
    words(latest, 'card'),
    speakerLine(latest.speaker),
    sourceLinks(latest.sources),
    historyLine(reaction, count),
    editButtons(latest.name, model.actorName(actor))));
}

// Which group each reacting actor goes in: a bloc's own card leads its
// bloc's group; a member goes in the smallest bloc that spoke itself, else
// the smallest bloc it belongs to; the rest under "Other actors".
function groupOf(actor, blocs) {
  if (blocs.some((b) => b.bloc === actor)) return actor;
  // Members that were silent at the last summary count too: a member's
  // first statement lands in its bloc before the summary is refreshed.
  const containing = blocs.filter((b) => b.reactingMembers.includes(actor) || b.silentMembers.includes(actor));
  if (!containing.length) return null;
  containing.sort((a, b) => Number(b.blocStance !== 'STANCE_UNSPECIFIED') - Number(a.blocStance !== 'STANCE_UNSPECIFIED')
    || a.memberCount - b.memberCount);
  return containing[0].bloc;
}

// The members' stances as small labelled counts ("✖ 2 condemn").
function memberTally(rollup) {
  const counts = new Map(rollup.memberStances.map((s) => [stanceOf(s.stance).key, s.actorCount]));
  return el('ul', { class: 'bloc-stances', 'aria-label': 'Members by latest stance' },
    STANCES.filter((s) => counts.get(s.key)).map((s) => el('li', { class: `stance-${s.key}` },
      el('span', { class: 'swatch', 'aria-hidden': 'true' }),
      el('span', { class: 'legend-icon', 'aria-hidden': 'true' }, s.icon),
      ` ${counts.get(s.key)} ${s.label.toLowerCase()}`)));
}

function blocHeader(model, rollup) {
  const info = model.actors.get(rollup.bloc);
  const title = info?.shortName ? `${model.actorName(rollup.bloc)} (${info.shortName})` : model.actorName(rollup.bloc);
  const reacted = rollup.memberCount - rollup.silentMembers.length;
  return el('header', { class: 'bloc-head' },
    el('h2', {}, title),
    el('p', { class: 'bloc-tally' }, `${reacted} of ${rollup.memberCount} members reacted`),
    memberTally(rollup));
}

function silentList(model, rollup) {
  if (!rollup.silentMembers.length) return null;
  const names = rollup.silentMembers.map((m) => model.actorName(m)).sort();
  return el('details', { class: 'silent' },
    el('summary', {}, `${names.length} silent member${names.length === 1 ? '' : 's'}`),
    el('p', {}, names.join(', ')));
}

// Replaces the grid's content. `fresh` holds the statements to highlight.
export function renderGrid(container, model, fresh) {
  const blocs = model.summary?.blocs ?? [];
  const groups = new Map();
  for (const entry of model.latestByActor()) {
    const key = groupOf(entry.actor, blocs);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(entry);
  }
  // A bloc's own card first; the "Other actors" group last.
  const sections = [...groups.entries()]
    .sort(([a], [b]) => Number(a === null) - Number(b === null))
    .map(([key, entries]) => {
      entries.sort((a, b) => Number(b.actor === key) - Number(a.actor === key));
      const rollup = blocs.find((b) => b.bloc === key);
      return el('section', { class: entries.length === 1 ? 'bloc compact' : 'bloc', 'data-bloc': key ?? 'other' },
        rollup ? blocHeader(model, rollup) : el('header', { class: 'bloc-head' }, el('h2', {}, 'Other actors')),
        el('div', { class: 'cards' }, entries.map((e) => card(model, e, fresh.has(e.latest.name)))),
        rollup ? silentList(model, rollup) : null);
    });
  container.replaceChildren(...sections);
  if (!sections.length) container.append(el('p', { class: 'empty' }, 'No reactions recorded yet.'));
}
