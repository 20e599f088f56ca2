/**
 * Sets an element's text from a per-frame callback: in place (the element's one text node gets a
 * new value) and only when it differs. Replacing the text (`textContent = …`) removes the node
 * and adds a new one, which the browser lays out anew; a clock or an offset counting up does that
 * sixty times a second. Returns whether anything was written.
 */
export function writeText(el: HTMLElement, text: string): boolean {
  const node = el.firstChild;
  if (node && node === el.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.nodeValue === text) return false;
    node.nodeValue = text;
    return true;
  }
  if (el.textContent === text) return false;
  el.textContent = text;
  return true;
}
