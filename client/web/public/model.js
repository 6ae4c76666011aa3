// What the page knows about one event, built from the stream's messages:
// every statement as of its latest change, the actors, the latest summary.

// An RFC 3339 time (0, 3, 6 or 9 fractional digits) as a string that
// sorts in time order: the fraction padded to nanoseconds.
function timeKey(time) {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(time ?? '');
  if (!match) return time ?? '';
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}`;
}

// Of two statements issued at the same time, whether `a` was recorded after
// `b`: by create time, then (recorded in one commit) by log sequence, as
// SummarizeReactions orders them.
function recordedAfter(a, b) {
  const ca = timeKey(a.createTime);
  const cb = timeKey(b.createTime);
  if (ca !== cb) return ca > cb;
  return BigInt(a.sequence) > BigInt(b.sequence);
}

export class BoardModel {
  constructor() {
    this.event = null;
    this.actors = new Map();
    this.statements = new Map(); // name -> Statement, as of its last change
    this.summary = null;
  }

  setSnapshot({ event, actors }) {
    this.event = event;
    for (const actor of Object.values(actors)) this.actors.set(actor.name, actor);
  }

  addActor(actor) {
    this.actors.set(actor.name, actor);
  }

  // Applies a change. The stream delivers each change once, in sequence
  // order, across reconnects, so nothing here deduplicates.
  applyChange(change) {
    this.statements.set(change.statement.name, change.statement);
  }

  actorName(name) {
    const actor = this.actors.get(name);
    return actor?.displayName || name.replace(/^actors\//, '');
  }

  // Each reacting actor's latest active statement (latest issue time, then
  // latest committed), with its first issue time, in order of first issue.
  latestByActor() {
    const byActor = new Map();
    for (const statement of this.statements.values()) {
      if (statement.state === 'STATEMENT_STATE_RETRACTED') continue;
      const entry = byActor.get(statement.actor);
      if (!entry) {
        byActor.set(statement.actor, { latest: statement, first: statement.issueTime, count: 1 });
        continue;
      }
      entry.count += 1;
      if (statement.issueTime < entry.first) entry.first = statement.issueTime;
      const later = statement.issueTime > entry.latest.issueTime
        || (statement.issueTime === entry.latest.issueTime && recordedAfter(statement, entry.latest));
      if (later) entry.latest = statement;
    }
    return [...byActor.entries()]
      .map(([actor, entry]) => ({ actor, ...entry }))
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  }

  reactionOf(actor) {
    return this.summary?.reactions.find((r) => r.actor === actor) ?? null;
  }
}
