// Farm page: live workers, what is queued per model and priority, and the last day's output.
import { api } from './api.js';
import { el, dateTime } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attributes = {}, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
};

function chart(hours) {
  const width = 720, height = 180, left = 34, bottom = 22, top = 10;
  const max = Math.max(1, ...hours.map((h) => h.images));
  const slot = (width - left) / hours.length;
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { class: 'chart', id: 'images-per-hour', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': 'Images per hour over the last 24 hours' });
  for (const v of [0, max / 2, max]) {
    root.append(svg('line', { x1: left, x2: width, y1: y(v), y2: y(v) }), svg('text', { x: left - 6, y: y(v) + 3, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  hours.forEach((h, i) => {
    const x = left + i * slot + slot * 0.15;
    const bar = svg('rect', { class: 'bar', x, y: y(h.images), width: slot * 0.7, height: Math.max(0, y(0) - y(h.images)), rx: 2, 'data-images': h.images },
      svg('title', {}, `${new Date(h.hour).toLocaleString(undefined, { hour: '2-digit', minute: '2-digit' })}: ${h.images} images`));
    root.append(bar);
    if (i % 3 === 0 || i === hours.length - 1) {
      root.append(svg('text', { x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle' }, new Date(h.hour).toLocaleTimeString(undefined, { hour: '2-digit' })));
    }
  });
  return root;
}

export async function renderFarm(view) {
  const stats = el('div', { class: 'stats' });
  const workers = el('tbody');
  const queue = el('tbody');
  const unserved = el('div', { id: 'unserved' });
  const chartHolder = el('div');
  view.append(el('h1', {}, 'Farm'), stats, unserved,
    el('section', { class: 'panel' }, el('h2', {}, 'Workers'),
      el('table', { id: 'workers-table' }, el('thead', {}, el('tr', {}, ...['Worker', 'Device', 'Models', 'Labels', 'Batch', 'Images/min', 'Rendered', 'Last heartbeat'].map((h) => el('th', {}, h)))), workers)),
    el('div', { class: 'row' },
      el('section', { class: 'panel grow' }, el('h2', {}, 'Queue'),
        el('table', { id: 'queue-table' }, el('thead', {}, el('tr', {}, ...['Model', 'Priority', 'Waiting', 'On the bus'].map((h) => el('th', {}, h)))), queue)),
      el('section', { class: 'panel grow', style: 'flex-grow:2' }, el('h2', {}, 'Images per hour, last 24 hours'), chartHolder)));

  const stat = (value, label) => el('div', { class: 'stat' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));

  async function refresh() {
    const farm = await api.farm().catch(() => null);
    if (!farm) return;
    const now = Date.parse(farm.at);
    const waiting = farm.queue.reduce((n, q) => n + q.pending + q.dispatched, 0);
    const lastDay = farm.imagesPerHour.reduce((n, h) => n + h.images, 0);
    const rate = farm.workers.reduce((n, w) => n + w.imagesPerMinute, 0);
    stats.replaceChildren(stat(farm.workers.length, 'Live workers'), stat(rate.toFixed(1), 'Images / min'), stat(waiting, 'Images queued'), stat(lastDay, 'Images, last 24 h'));

    workers.replaceChildren(...(farm.workers.length ? farm.workers.map((w) => {
      const age = (now - Date.parse(w.lastSeen)) / 1000;
      return el('tr', { 'data-worker-id': w.id },
        el('td', {}, el('span', { class: `dot${age > 10 ? ' stale' : ''}` }), el('strong', {}, w.id), el('div', { class: 'muted small' }, w.host)),
        el('td', {}, w.device), el('td', {}, w.models.join(', ')), el('td', { class: 'small' }, w.labels.join(', ')), el('td', {}, w.batchSize),
        el('td', {}, w.imagesPerMinute.toFixed(1)), el('td', {}, w.imagesRendered),
        el('td', { class: 'small' }, `${dateTime(w.lastSeen)} (${Math.max(0, Math.round(age))}s ago)`));
    }) : [el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'No live workers.'))]));

    queue.replaceChildren(...(farm.queue.length ? farm.queue.map((q) =>
      el('tr', { 'data-model': q.model, 'data-priority': q.priority }, el('td', {}, q.model), el('td', {}, q.priority), el('td', {}, q.pending), el('td', {}, q.dispatched)))
      : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'Nothing queued.'))]));
    // Jobs the farm accepted for a model no live worker serves wait until one arrives: say so, with what waits.
    unserved.replaceChildren(...farm.unserved.map((u) => el('div', { class: 'panel warning', 'data-unserved-model': u.model },
      el('strong', {}, `No worker for model ${u.model}`),
      u.requireLabels.length ? ` with labels ${u.requireLabels.join(', ')}` : '',
      ` — ${u.waiting} image${u.waiting === 1 ? '' : 's'} of ${u.jobs} job${u.jobs === 1 ? '' : 's'} waiting.`)));
    chartHolder.replaceChildren(chart(farm.imagesPerHour));
  }

  await refresh();
  const timer = setInterval(refresh, 3000);
  return () => clearInterval(timer);
}
