// The event's summary as the page shows it: SummarizeReactions with a daily
// timeline, cut down to the timeline points where the number of statements
// changed (a quiet day adds nothing to how reactions accumulated).

const DAY = '86400s';

export async function fetchSummary(client, eventName, options) {
  const summary = await client.summarizeReactions(eventName, { timelineInterval: DAY, ...options });
  const timeline = [];
  for (const point of summary.timeline) {
    if (timeline.length > 0 && timeline.at(-1).statementCount === point.statementCount) continue;
    timeline.push(point);
  }
  return {
    asOfTime: summary.asOfTime,
    reactions: summary.reactions.map((r) => ({
      actor: r.actor,
      latestStance: r.latestStance,
      stanceHistory: r.stanceHistory,
      position: r.position,
      positionHistory: r.positionHistory,
      statementCount: r.statementCount,
      actions: r.actions,
    })),
    stanceTotals: summary.stanceTotals,
    positionTotals: summary.positionTotals,
    eventSides: summary.eventSides,
    blocs: summary.blocs,
    timeline,
  };
}

// Calls `publish(summary)` with a fresh summary after each request(),
// coalescing requests that arrive while one is being fetched: a burst of
// changes costs one or two SummarizeReactions calls, and the last summary
// published is never older than the last request. A failed call (rollcalld
// restarting) publishes nothing; the next request tries again.
export class SummaryRefresher {
  #fetch;
  #publish;
  #running = false;
  #pending = false;
  #closed = false;

  constructor(fetch, publish) {
    this.#fetch = fetch;
    this.#publish = publish;
  }

  request() {
    this.#pending = true;
    if (!this.#running) this.#run();
  }

  close() {
    this.#closed = true;
  }

  async #run() {
    this.#running = true;
    while (this.#pending && !this.#closed) {
      this.#pending = false;
      try {
        const summary = await this.#fetch();
        if (!this.#closed) await this.#publish(summary);
      } catch {
        // Published again on the next request (the subscription's next
        // caught-up after a reconnect makes one).
      }
    }
    this.#running = false;
  }
}
