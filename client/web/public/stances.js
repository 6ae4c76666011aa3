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
