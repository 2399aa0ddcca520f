// Farm page: live workers, what is queued per model and priority, and the last day's output.
import { api } from './api.js';
import { el, dateTime } from './format.js';
import { barChart } from './chart.js';

export async function renderFarm(view) {
  const stats = el('div', { class: 'stats' });
  const workers = el('tbody');
  const queue = el('tbody');
  const unserved = el('div', { id: 'unserved' });
  const chartHolder = el('div');
  view.append(el('h1', {}, 'Farm'), stats, unserved,
    el('section', { class: 'panel' }, el('h2', {}, 'Workers'),
      el('table', { id: 'workers-table' }, el('thead', {}, el('tr', {}, ...['Worker', 'State', 'Device', 'Models', 'Labels', 'Batch', 'Images/min', 'Rendered', 'Last heartbeat', ''].map((h) => el('th', {}, h)))), workers)),
    el('div', { class: 'row' },
      el('section', { class: 'panel grow' }, el('h2', {}, 'Queue'),
        el('table', { id: 'queue-table' }, el('thead', {}, el('tr', {}, ...['Model', 'Priority', 'Waiting', 'On the bus'].map((h) => el('th', {}, h)))), queue)),
      el('section', { class: 'panel grow', style: 'flex-grow:2' }, el('h2', {}, 'Images per hour, last 24 hours'), chartHolder)));

  const stat = (value, label) => el('div', { class: 'stat' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));

  // Admins only: the API answers 403 to anyone else, shown in place of the button.
  function control(w) {
    const action = w.state === 'active' ? 'drain' : 'release';
    const button = el('button', { type: 'button', class: 'small', 'data-worker-action': action }, action === 'drain' ? 'Drain' : 'Release');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api.workerAction(w.id, action);
        await refresh();
      } catch (e) {
        button.replaceWith(el('span', { class: 'muted small' }, e.message));
      }
    });
    return button;
  }

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
        // Draining or quarantined workers take no work; the reason says who drained it or which failures stopped it.
        el('td', { class: 'worker-state' }, el('span', { class: `badge ${w.state}` }, w.state), w.stateReason ? el('div', { class: 'muted small' }, w.stateReason) : ''),
        el('td', {}, w.device), el('td', {}, w.models.join(', ')), el('td', { class: 'small' }, w.labels.join(', ')), el('td', {}, w.batchSize),
        el('td', {}, w.imagesPerMinute.toFixed(1)), el('td', {}, w.imagesRendered),
        el('td', { class: 'small' }, `${dateTime(w.lastSeen)} (${Math.max(0, Math.round(age))}s ago)`),
        el('td', {}, control(w)));
    }) : [el('tr', {}, el('td', { colspan: 10, class: 'empty' }, 'No live workers.'))]));

    queue.replaceChildren(...(farm.queue.length ? farm.queue.map((q) =>
      el('tr', { 'data-model': q.model, 'data-priority': q.priority }, el('td', {}, q.model), el('td', {}, q.priority), el('td', {}, q.pending), el('td', {}, q.dispatched)))
      : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'Nothing queued.'))]));
    // Jobs the farm accepted for a model no live worker serves wait until one arrives: say so, with what waits.
    unserved.replaceChildren(...farm.unserved.map((u) => el('div', { class: 'panel warning', 'data-unserved-model': u.model },
      el('strong', {}, `No worker for model ${u.model}`),
      u.requireLabels.length ? ` with labels ${u.requireLabels.join(', ')}` : '',
      ` — ${u.waiting} image${u.waiting === 1 ? '' : 's'} of ${u.jobs} job${u.jobs === 1 ? '' : 's'} waiting.`)));
    chartHolder.replaceChildren(barChart(farm.imagesPerHour, {
      id: 'images-per-hour',
      label: 'Images per hour over the last 24 hours',
      value: (h) => h.images,
      tooltip: (h) => `${new Date(h.hour).toLocaleString(undefined, { hour: '2-digit', minute: '2-digit' })}: ${h.images} images`,
      tick: (h, i) => (i % 3 === 0 || i === farm.imagesPerHour.length - 1 ? new Date(h.hour).toLocaleTimeString(undefined, { hour: '2-digit' }) : null),
    }));
  }

  await refresh();
  const timer = setInterval(refresh, 3000);
  return () => clearInterval(timer);
}
