// The board page: picks an event, opens its stream (/api/events/{id}/stream)
// and keeps the grid, the timeline and the feed in step with it.

import { el, formatDate } from './dom.js';
import { addToFeed } from './feed.js';
import { renderGrid } from './grid.js';
import { BoardModel } from './model.js';
import { POSITIONS, SILENT, STANCES, positionOf, stanceOf } from './stances.js';
import { renderTimeline } from './timeline.js';
import { mountSignIn, sessionInfo } from './session.js';
import { listenForEdits, setWriteAccess } from './board_edit.js';

const $ = (id) => document.getElementById(id);
const FRESH_MS = 6000;

const params = new URLSearchParams(location.search);
const model = new BoardModel();
const fresh = new Set();
let caughtUp = false;
let renderScheduled = false;

function setConnection(state, text) {
  const node = $('connection');
  node.dataset.state = state;
  node.replaceChildren(el('span', { class: 'dot', 'aria-hidden': 'true' }), text);
}

function renderLegend() {
  const counts = new Map((model.summary?.stanceTotals ?? []).map((t) => [stanceOf(t.stance).key, t.actorCount]));
  $('legend').replaceChildren(...STANCES.map((s) => el('li', { class: `legend-item stance-${s.key}`, 'data-stance': s.key },
    el('span', { class: 'swatch', 'aria-hidden': 'true' }),
    el('span', { class: 'legend-icon', 'aria-hidden': 'true' }, s.icon),
    el('span', { class: 'legend-label' }, s.label),
    el('span', { class: 'legend-count', 'aria-label': `${counts.get(s.key) ?? 0} actors` }, counts.get(s.key) ?? 0))),
  el('li', { class: `legend-item stance-${SILENT.key}` }, el('span', { class: 'swatch', 'aria-hidden': 'true' }),
    el('span', { class: 'legend-label' }, 'No statement')));
}

// Actors by position on the event, and the sides it was derived from.
function renderPositions() {
  const counts = new Map((model.summary?.positionTotals ?? []).map((t) => [positionOf(t.position)?.key, t.actorCount]));
  $('positions').replaceChildren(...POSITIONS.filter((p) => counts.get(p.key)).map((p) => el('li', {
    class: `position position-${p.key}`, 'data-position': p.key,
  }, `${p.label} `, el('span', { class: 'position-count' }, counts.get(p.key)))));
  const sides = model.summary?.eventSides ?? [];
  const role = { SIDE_ROLE_INITIATOR: 'initiator', SIDE_ROLE_TARGET: 'target' };
  $('sides').textContent = sides.length
    ? `Sides: ${sides.map((side) => `${model.actorName(side.actor)} (${role[side.role] ?? '?'})`).join(' · ')}`
    : 'The event records no sides: a stance toward an actor gives an unclear position.';
}

function render() {
  renderScheduled = false;
  renderGrid($('grid'), model, fresh);
  renderTimeline($('timeline'), model.summary);
  renderLegend();
  renderPositions();
}

function scheduleRender() {
  if (renderScheduled) return;
  renderScheduled = true;
  requestAnimationFrame(render);
}

function showEvent(event) {
  document.title = `${event.title} — Rollcall board`;
  $('event-title').textContent = event.title;
  const dates = [formatDate(event.startTime), formatDate(event.endTime)].filter(Boolean).join(' – ');
  $('event-meta').textContent = [dates, event.countryCode].filter(Boolean).join(' · ');
}

function onChange(change) {
  model.applyChange(change);
  addToFeed($('feed'), model, change, caughtUp);
  if (caughtUp) {
    const name = change.statement.name;
    fresh.add(name);
    setTimeout(() => { fresh.delete(name); scheduleRender(); }, FRESH_MS);
  }
  scheduleRender();
}

// The last change sequence the page has (or the head it caught up to): a
// stream opened again resumes after it.
let lastSequence = null;
let reopenDelayMs = 1000;

function openStream(eventId) {
  const after = lastSequence === null ? '' : `?after=${lastSequence}`;
  const source = new EventSource(`/api/events/${encodeURIComponent(eventId)}/stream${after}`);
  const on = (name, handler) => source.addEventListener(name, (message) => handler(JSON.parse(message.data)));
  on('snapshot', (snapshot) => { model.setSnapshot(snapshot); showEvent(snapshot.event); scheduleRender(); });
  on('actor', (actor) => model.addActor(actor));
  on('change', (change) => { lastSequence = change.sequence; onChange(change); });
  on('caught-up', ({ headSequence }) => {
    lastSequence = headSequence;
    caughtUp = true;
    reopenDelayMs = 1000;
    setConnection('live', 'Live');
  });
  on('summary', (summary) => { model.summary = summary; scheduleRender(); });
  on('status', (status) => setConnection('reconnecting', `Reconnecting to rollcalld (attempt ${status.attempt})…`));
  on('failure', (failure) => { setConnection('failed', `Stopped: ${failure.message}`); source.close(); });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      // The browser reconnects by itself, sending Last-Event-ID.
      setConnection('reconnecting', 'Reconnecting to the board server…');
      return;
    }
    // The board server refused the stream (rollcalld unreachable when it
    // opened): open it again later, resuming after lastSequence.
    setConnection('reconnecting', `Cannot open the event's stream; retrying in ${reopenDelayMs / 1000} s…`);
    setTimeout(() => openStream(eventId), reopenDelayMs);
    reopenDelayMs = Math.min(reopenDelayMs * 2, 30_000);
  });
}

// The events, most recent first; while the board server cannot list them
// (rollcalld unreachable) it says so and tries again.
async function loadEvents() {
  for (let delayMs = 1000; ; delayMs = Math.min(delayMs * 2, 30_000)) {
    try {
      const response = await fetch('/api/events');
      const body = await response.json();
      if (response.ok) return body.events;
      setConnection('reconnecting', `Cannot list events (${body.error?.message ?? response.statusText}); retrying…`);
    } catch (error) {
      setConnection('reconnecting', `Cannot reach the board server; retrying…`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function setUpWallMode() {
  const button = $('wall-toggle');
  const apply = (on) => {
    document.documentElement.classList.toggle('wall', on);
    button.setAttribute('aria-pressed', String(on));
  };
  apply(params.get('wall') === '1');
  button.addEventListener('click', () => {
    const on = !document.documentElement.classList.contains('wall');
    apply(on);
    const url = new URL(location.href);
    if (on) url.searchParams.set('wall', '1'); else url.searchParams.delete('wall');
    history.replaceState(null, '', url);
  });
}

async function main() {
  setUpWallMode();
  // A rollcalld with tokens shows the board to holders of one.
  mountSignIn($('signin-slot'), () => location.reload());
  listenForEdits($('grid'));
  sessionInfo().then((session) => { setWriteAccess(session); scheduleRender(); });
  renderLegend();
  const events = await loadEvents();
  const picker = $('event-picker');
  picker.replaceChildren(...events.map((e) => el('option', { value: e.name.replace(/^events\//, '') }, e.title || e.name)));
  const wanted = params.get('event') ?? picker.options[0]?.value;
  if (!wanted) {
    setConnection('failed', 'No events recorded yet');
    return;
  }
  picker.value = wanted;
  $('review-link').href = `/review?event=${encodeURIComponent(wanted)}`;
  picker.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('event', picker.value);
    location.assign(url);
  });
  openStream(wanted);
}

main();
