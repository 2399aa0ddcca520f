// Schedules page: recurring prompt jobs — list with pause/resume/run-now/delete, and a form to add one.
import { api, ApiError } from './api.js';
import { el, shortId, dateTime, toast } from './format.js';

const field = (name, label, control, hint) =>
  el('div', { class: 'field', 'data-field': name },
    el('label', { for: `schedule-${name}` }, label), control,
    hint ? el('p', { class: 'hint' }, hint) : null,
    el('p', { class: 'error', 'data-error-for': name }));

const input = (name, attributes = {}) => el('input', { id: `schedule-${name}`, name, ...attributes });

export async function renderSchedules(view) {
  const models = await api.models().catch(() => []);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const form = el('form', { id: 'schedule-form', novalidate: true },
    el('p', { class: 'form-error', id: 'schedule-form-error' }),
    el('div', { class: 'form-grid' },
      el('div', {},
        field('name', 'Name', input('name', { placeholder: 'Daily social media art' })),
        field('promptTemplates', 'Prompt templates', el('textarea', { id: 'schedule-promptTemplates', name: 'promptTemplates', rows: 4,
          placeholder: 'a watercolor of {city} in {season}, {date:dddd}' }),
        'One per line. {date:yyyy-MM-dd}, {time:HH:mm}, {season}, {counter}, choices {red|green|blue}, lists {city}.'),
        field('lists', 'Named lists', el('textarea', { id: 'schedule-lists', name: 'lists', rows: 3, placeholder: 'city: Berlin, Lisbon, Oslo' }),
          'One list per line: name: item, item, …')),
      el('div', {},
        el('div', { class: 'field-row' },
          field('cron', 'Cron (Quartz)', input('cron', { value: '0 0 7 * * ?' }), 'Seconds first: 0 0 7 * * ? is every day at 07:00.'),
          field('timeZone', 'Time zone', input('timeZone', { value: zone }))),
        el('div', { class: 'field-row' },
          field('model', 'Model', el('select', { id: 'schedule-model', name: 'model' }, ...models.map((m) => el('option', { value: m.name }, m.name)))),
          field('count', 'Images per prompt', input('count', { type: 'number', min: 1, value: 4 }))),
        el('div', { class: 'field-row' },
          field('width', 'Width', input('width', { type: 'number', step: 8, placeholder: 'model default' })),
          field('height', 'Height', input('height', { type: 'number', step: 8, placeholder: 'model default' }))))),
    el('div', { class: 'submit-row' }, el('button', { type: 'submit', id: 'schedule-submit' }, 'Add schedule')));

  const body = el('tbody');
  const table = el('table', { id: 'schedules-table' },
    el('thead', {}, el('tr', {}, ...['Schedule', 'Prompts', 'When', 'Next', 'Last', 'Firings', ''].map((h) => el('th', {}, h)))),
    body);
  const empty = el('p', { class: 'empty', hidden: true }, 'No schedules yet.');
  view.append(el('h1', {}, 'Schedules'), el('section', { class: 'panel' }, table, empty), el('h2', {}, 'Add a schedule'), el('section', { class: 'panel' }, form));

  const value = (name) => form.querySelector(`[name="${name}"]`).value.trim();
  const number = (name) => (value(name) === '' ? undefined : Number(value(name)));

  function readForm() {
    const lists = {};
    for (const line of value('lists').split('\n').map((l) => l.trim()).filter(Boolean)) {
      const [name, items = ''] = line.split(/:(.*)/s);
      lists[name.trim()] = items.split(',').map((i) => i.trim()).filter(Boolean);
    }
    return {
      name: value('name'),
      cron: value('cron'),
      timeZone: value('timeZone'),
      promptTemplates: value('promptTemplates').split('\n').map((l) => l.trim()).filter(Boolean),
      lists,
      job: { model: value('model') || undefined, count: number('count'), width: number('width'), height: number('height') },
    };
  }

  function showErrors(errors) {
    const unplaced = [];
    for (const [key, messages] of Object.entries(errors)) {
      // `job.width` belongs to the width field, `promptTemplates[1]` to line 2 of the templates, `lists.city` to the lists.
      const match = /^(?:job\.)?(\w+)(?:\[(\d+)\])?/.exec(key);
      const name = match?.[1] ?? key;
      const line = match?.[2] !== undefined ? Number(match[2]) + 1 : null;
      const target = form.querySelector(`[data-error-for="${name}"]`);
      const text = messages.map((m) => (line ? `Line ${line}: ${m}` : m)).join(' ');
      if (!target) { unplaced.push(text); continue; }
      target.textContent = target.textContent ? `${target.textContent} ${text}` : text;
      form.querySelector(`[data-field="${name}"]`)?.classList.add('invalid');
    }
    form.querySelector('#schedule-form-error').textContent = unplaced.join(' ');
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const p of form.querySelectorAll('[data-error-for]')) p.textContent = '';
    for (const f of form.querySelectorAll('.invalid')) f.classList.remove('invalid');
    form.querySelector('#schedule-form-error').textContent = '';
    try {
      const created = await api.createSchedule(readForm());
      toast(`Schedule “${created.name}” added`);
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.errors).length) showErrors(error.errors);
      else form.querySelector('#schedule-form-error').textContent = error.message;
    }
  });

  const act = async (schedule, action) => {
    if (action === 'delete') {
      await api.deleteSchedule(schedule.id);
      toast(`Schedule “${schedule.name}” removed`);
    } else {
      const result = await api.scheduleAction(schedule.id, action);
      toast(action === 'run-now' ? `Fired now as job ${shortId(result.id)}` : `Schedule “${schedule.name}” ${action === 'pause' ? 'paused' : 'resumed'}`);
    }
    await refresh();
  };

  const row = (s) => el('tr', { 'data-schedule-id': s.id, 'data-paused': String(s.paused) },
    el('td', {}, el('strong', {}, s.name), el('div', { class: 'muted small' }, `${s.job.model ?? 'default model'} · ${s.job.count ?? 1} per prompt`)),
    el('td', {}, ...s.promptTemplates.map((t) => el('div', { class: 'prompt', title: t }, t))),
    el('td', { class: 'nowrap' }, el('span', { class: 'mono' }, s.cron), el('div', { class: 'muted small' }, s.timeZone)),
    el('td', { class: 'small' }, s.paused ? el('span', { class: 'badge cancelled' }, 'paused') : dateTime(s.nextFireAt)),
    el('td', { class: 'small' }, dateTime(s.lastFiredAt)),
    el('td', {}, String(s.firings)),
    el('td', {}, el('div', { class: 'actions-row' },
      el('button', { type: 'button', class: 'secondary small', 'data-action': s.paused ? 'resume' : 'pause', onclick: () => act(s, s.paused ? 'resume' : 'pause') }, s.paused ? 'Resume' : 'Pause'),
      el('button', { type: 'button', class: 'secondary small', 'data-action': 'run-now', onclick: () => act(s, 'run-now') }, 'Run now'),
      el('a', { class: 'button secondary small', href: '#/jobs' }, 'Jobs'),
      el('button', { type: 'button', class: 'danger small', 'data-action': 'delete', onclick: () => act(s, 'delete') }, 'Delete'))));

  async function refresh() {
    const schedules = await api.schedules().catch(() => null);
    if (!schedules) return;
    body.replaceChildren(...schedules.map(row));
    empty.hidden = schedules.length > 0;
    table.hidden = schedules.length === 0;
  }

  await refresh();
  const timer = setInterval(refresh, 5000);
  return () => clearInterval(timer);
}
