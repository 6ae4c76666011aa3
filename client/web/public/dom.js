// Building DOM nodes without innerHTML: every string becomes a text node,
// so text from statements can never become markup.

// el('p', {class: 'x', 'data-id': id}, 'text', child, ...). Attributes with
// null, undefined or false values are left out.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A link only for http(s) URLs; anything else (javascript:, data:) is text.
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

export function formatDate(rfc3339) {
  return rfc3339 ? DATE.format(new Date(rfc3339)) : '';
}

export function formatTime(rfc3339) {
  return rfc3339 ? `${TIME.format(new Date(rfc3339))} UTC` : '';
}
