// How each stance is shown: a label, an icon and (in board.css) a colour and
// a fill pattern, so that no stance is told apart by colour alone.

export const STANCES = [
  { key: 'condemns', label: 'Condemns', icon: '✖\uFE0E' },
  { key: 'criticises', label: 'Criticises', icon: '▼\uFE0E' },
  { key: 'concerned', label: 'Concerned', icon: '!' },
  { key: 'neutral', label: 'Neutral', icon: '○\uFE0E' },
  { key: 'supports', label: 'Supports', icon: '✔\uFE0E' },
];

export const SILENT = { key: 'silent', label: 'Silent', icon: '…' };

const BY_ENUM = new Map(STANCES.map((s) => [`STANCE_${s.key.toUpperCase()}`, s]));

// The stance of an enum name ('STANCE_CONDEMNS'); SILENT for unspecified.
export function stanceOf(name) {
  return BY_ENUM.get(name) ?? SILENT;
}

// Where an actor stands on the event (derived by the server from its stance,
// whom the stance is toward and the event's sides): the roll call's question.
export const POSITIONS = [
  { key: 'against', label: 'Against' },
  { key: 'for', label: 'For' },
  { key: 'concerned', label: 'Concerned' },
  { key: 'neutral', label: 'Neutral' },
  { key: 'unclear', label: 'Unclear' },
];

const POSITION_BY_ENUM = new Map(POSITIONS.map((p) => [`POSITION_${p.key.toUpperCase()}`, p]));

// The position of an enum name ('POSITION_AGAINST'); null for unspecified.
export function positionOf(name) {
  return POSITION_BY_ENUM.get(name) ?? null;
}
