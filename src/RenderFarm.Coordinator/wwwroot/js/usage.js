// Usage page: images, GPU-seconds and their cost by studio, model or day, for a period; a chart per day; CSV.
import { api } from './api.js';
import { el } from './format.js';
import { barChart } from './chart.js';

const isoDay = (date) => date.toISOString().slice(0, 10);

export async function renderUsage(view) {
  const now = new Date();
  const from = el('input', { type: 'date', id: 'usage-from', value: isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))) });
  const to = el('input', { type: 'date', id: 'usage-to', value: isoDay(new Date(now.getTime() + 86_400_000)) });
  const groupBy = el('select', { id: 'usage-group' }, ...['studio', 'model', 'day'].map((g) => el('option', { value: g }, `By ${g}`)));
  const csv = el('a', { class: 'button secondary small', id: 'usage-csv', download: true }, 'CSV');
  const stats = el('div', { class: 'stats' });
  const body = el('tbody');
  const head = el('tr');
  const chartHolder = el('div');
  view.append(el('h1', {}, 'Usage'),
    el('div', { class: 'inline filters' }, el('label', {}, 'From ', from), el('label', {}, 'Until ', to), groupBy, csv),
    stats,
    el('div', { class: 'row' },
      el('section', { class: 'panel grow' }, el('table', { id: 'usage-table' }, el('thead', {}, head), body)),
      el('section', { class: 'panel grow', style: 'flex-grow:2' }, el('h2', {}, 'GPU-seconds per day'), chartHolder)));

  const stat = (value, label) => el('div', { class: 'stat' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));

  async function refresh() {
    const period = { from: from.value, to: to.value };
    const [report, days] = await Promise.all([api.usage({ ...period, groupBy: groupBy.value }), api.usage({ ...period, groupBy: 'day' })]);
    const money = (v) => `${v.toFixed(2)} ${report.currency}`;
    csv.href = api.usageCsvUrl({ ...period, groupBy: groupBy.value });
    stats.replaceChildren(stat(report.total.images, 'Images'), stat(report.total.gpuSeconds.toFixed(1), 'GPU-seconds'),
      stat((report.total.gpuSeconds / 3600).toFixed(2), 'GPU-hours'), stat(money(report.total.cost), 'Cost'));
    head.replaceChildren(...[groupBy.value[0].toUpperCase() + groupBy.value.slice(1), 'Images', 'GPU-seconds', 'Cost'].map((h) => el('th', {}, h)));
    body.replaceChildren(...(report.rows.length
      ? report.rows.map((r) => el('tr', { 'data-key': r.key }, el('td', {}, r.key), el('td', {}, r.images), el('td', {}, r.gpuSeconds.toFixed(1)), el('td', {}, money(r.cost))))
      : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'Nothing rendered in this period.'))]));
    chartHolder.replaceChildren(barChart(days.rows, {
      id: 'gpu-seconds-per-day',
      label: 'GPU-seconds per day',
      value: (d) => d.gpuSeconds,
      tooltip: (d) => `${d.key}: ${d.gpuSeconds.toFixed(1)} GPU-s, ${d.images} images, ${money(d.cost)}`,
      tick: (d) => d.key.slice(5),
    }));
  }

  for (const input of [from, to, groupBy]) input.addEventListener('change', refresh);
  await refresh();
}
