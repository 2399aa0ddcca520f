// A bar chart in SVG, with no library: the farm page's images per hour, the usage page's GPU-seconds per day.

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attributes = {}, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
};

/**
 * items: the bars in order; value(item): its height; tooltip(item): its title; tick(item, i): the label under it or
 * null. Each bar carries data-value for tests and scripts.
 */
export function barChart(items, { id, label, value, tooltip, tick }) {
  const width = 720, height = 180, left = 40, bottom = 22, top = 10;
  const max = Math.max(1, ...items.map(value));
  const slot = (width - left) / Math.max(1, items.length);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { class: 'chart', id, viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label });
  for (const v of [0, max / 2, max]) {
    root.append(svg('line', { x1: left, x2: width, y1: y(v), y2: y(v) }), svg('text', { x: left - 6, y: y(v) + 3, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  items.forEach((item, i) => {
    const x = left + i * slot + slot * 0.15;
    const v = value(item);
    root.append(svg('rect', { class: 'bar', x, y: y(v), width: slot * 0.7, height: Math.max(0, y(0) - y(v)), rx: 2, 'data-value': v }, svg('title', {}, tooltip(item))));
    const text = tick(item, i);
    if (text !== null) root.append(svg('text', { x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle' }, text));
  });
  return root;
}
