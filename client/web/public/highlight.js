// A document's text with its drafts' evidence marked in place: the quoted
// words, the attribution cue and the mention that named the actor. Offsets
// count code points (DraftEvidence), so the text is split into code points
// before marking. Overlapping evidence of several drafts gives one mark per
// run of text with the same evidence.

import { el } from './dom.js';

const KIND_LABEL = { quote: 'quote', cue: 'attribution cue', mention: 'actor mention' };

function spansOf(evidence) {
  const spans = (evidence.quotes ?? []).map((span) => ['quote', span]);
  if (evidence.cue) spans.push(['cue', evidence.cue]);
  if (evidence.actorMention?.span) spans.push(['mention', evidence.actorMention.span]);
  return spans;
}

// Fills `container` with `document`'s text, marking the evidence in it of
// `drafts` ({name, evidence}); the evidence of `current` (a draft name) is
// emphasised. `label(draftName)` names a draft for screen readers.
export function renderArticle(container, document, drafts, current, label) {
  const chars = Array.from(document.text);
  const marks = new Array(chars.length).fill(null);
  for (const draft of drafts) {
    for (const evidence of draft.evidence) {
      if (evidence.document !== document.name) continue;
      for (const [kind, span] of spansOf(evidence)) {
        for (let i = Math.max(0, span.start); i < Math.min(chars.length, span.end); i++) {
          marks[i] ??= { kinds: new Set(), drafts: new Set() };
          marks[i].kinds.add(kind);
          marks[i].drafts.add(draft.name);
        }
      }
    }
  }
  const signature = (mark) => (mark ? `${[...mark.kinds].sort()}|${[...mark.drafts].sort()}` : '');
  const nodes = [];
  for (let i = 0; i < chars.length;) {
    let j = i + 1;
    while (j < chars.length && signature(marks[j]) === signature(marks[i])) j++;
    const text = chars.slice(i, j).join('');
    const mark = marks[i];
    if (!mark) {
      nodes.push(text);
    } else {
      const kinds = [...mark.kinds].sort();
      const names = [...mark.drafts];
      nodes.push(el('mark', {
        class: ['ev', ...kinds.map((k) => `ev-${k}`), names.includes(current) && 'ev-current'].filter(Boolean).join(' '),
        'data-drafts': names.join(' '),
        'data-kinds': kinds.join(' '),
        title: `${kinds.map((k) => KIND_LABEL[k]).join(', ')} of ${names.map(label).join('; ')}`,
      }, text));
    }
    i = j;
  }
  container.replaceChildren(...nodes);
  container.querySelector('.ev-current')?.scrollIntoView({ block: 'nearest' });
}
