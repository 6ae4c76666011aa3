// How reactions accumulated: for each day on which statements were made,
// the reacting actors by latest stance at the end of that day (the
// summary's timeline), as a stacked bar.

import { el, formatDate } from './dom.js';
import { STANCES, stanceOf } from './stances.js';

function row(point, maxActors, previous) {
  const counts = new Map();
  for (const total of point.stanceTotals) {
    const stance = stanceOf(total.stance);
    if (stance.key !== 'silent') counts.set(stance.key, total.actorCount);
  }
  const actors = [...counts.values()].reduce((a, b) => a + b, 0);
  const added = actors - previous;
  const described = STANCES.filter((s) => counts.get(s.key)).map((s) => `${counts.get(s.key)} ${s.label.toLowerCase()}`);
  const bar = el('div', { class: 'timeline-bar', role: 'img', 'aria-label': described.join(', ') || 'none' },
    STANCES.filter((s) => counts.get(s.key)).map((s) => el('span', { class: `segment stance-${s.key}`, title: `${s.label}: ${counts.get(s.key)}` })));
  const widths = STANCES.filter((s) => counts.get(s.key)).map((s) => (100 * counts.get(s.key)) / maxActors);
  [...bar.children].forEach((segment, i) => { segment.style.width = `${widths[i]}%`; });
  return {
    actors,
    node: el('li', { class: 'timeline-row' },
      el('time', { datetime: point.time }, formatDate(new Date(Date.parse(point.time) - 1).toISOString())),
      bar,
      el('span', { class: 'timeline-count' }, `${actors}`, added > 0 ? el('small', {}, ` +${added}`) : null)),
  };
}

export function renderTimeline(container, summary) {
  const points = summary?.timeline ?? [];
  const totals = points.map((p) => p.stanceTotals
    .filter((t) => stanceOf(t.stance).key !== 'silent').reduce((a, t) => a + t.actorCount, 0));
  const maxActors = Math.max(1, ...totals);
  const rows = [];
  let previous = 0;
  for (const point of points) {
    const { actors, node } = row(point, maxActors, previous);
    previous = actors;
    rows.push(node);
  }
  container.replaceChildren(rows.length
    ? el('ol', { class: 'timeline-rows', 'aria-label': 'Reacting actors by stance at the end of each day' }, rows)
    : el('p', { class: 'empty' }, 'No statements yet.'));
}
