// Gallery: thumbnails of rendered images, filtered by job, prompt text, model and date.
import { api } from './api.js';
import { el } from './format.js';
import { openLightbox } from './lightbox.js';

export async function renderGallery(view, params) {
  const input = (id, label, attributes) =>
    el('div', { class: 'field' }, el('label', { for: id }, label), el('input', { id, name: id, ...attributes }));
  const model = el('select', { id: 'filter-model', name: 'model' }, el('option', { value: '' }, 'All models'));
  const form = el('form', { class: 'filters', id: 'gallery-filters' },
    input('filter-prompt', 'Prompt contains', { type: 'search', placeholder: 'lighthouse', value: params.get('prompt') ?? '' }),
    input('filter-job', 'Job', { type: 'search', placeholder: 'job id', value: params.get('job') ?? '' }),
    el('div', { class: 'field' }, el('label', { for: 'filter-model' }, 'Model'), model),
    input('filter-from', 'From', { type: 'date', value: params.get('from') ?? '' }),
    input('filter-to', 'To', { type: 'date', value: params.get('to') ?? '' }),
    el('button', { type: 'submit' }, 'Filter'));
  const grid = el('div', { class: 'grid', id: 'gallery-grid' });
  const status = el('p', { class: 'muted small', id: 'gallery-status' });
  view.append(el('h1', {}, 'Gallery'), el('section', { class: 'panel' }, form), el('section', { class: 'panel' }, status, grid));

  for (const m of await api.models().catch(() => [])) model.append(el('option', { value: m.name }, m.name));
  model.value = params.get('model') ?? '';

  const value = (id) => form.querySelector(`#${id}`).value.trim();
  // Dates are local days; the API takes instants, so "to" is the start of the following day.
  const dayStart = (day, plusDays = 0) => {
    if (!day) return undefined;
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };

  async function load() {
    const job = value('filter-job');
    const isGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(job);
    if (job && !isGuid) {
      status.textContent = 'The job filter needs a full job id (copy it from the Jobs page).';
      grid.replaceChildren();
      return;
    }
    status.textContent = 'Loading…';
    const images = await api.images({
      jobId: job || undefined, prompt: value('filter-prompt'), model: model.value,
      from: dayStart(value('filter-from')), to: dayStart(value('filter-to'), 1), limit: 500,
    }).catch((e) => { status.textContent = e.message; return null; });
    if (!images) return;
    status.textContent = images.length ? `${images.length} image${images.length > 1 ? 's' : ''}${images.length === 500 ? ' (newest 500)' : ''}` : 'No images match.';
    grid.replaceChildren(...images.map((image) =>
      el('button', { type: 'button', class: 'tile', 'data-image-id': image.id, title: image.prompt, onclick: () => openLightbox(image.id) },
        el('img', { src: image.thumbnailUrl, alt: image.prompt, loading: 'lazy' }),
        el('div', { class: 'caption' }, image.prompt))));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // Filters live in the address, so a filtered gallery can be bookmarked or shared.
    const q = new URLSearchParams();
    for (const [key, id] of [['prompt', 'filter-prompt'], ['job', 'filter-job'], ['from', 'filter-from'], ['to', 'filter-to']]) if (value(id)) q.set(key, value(id));
    if (model.value) q.set('model', model.value);
    const hash = `#/gallery${q.size ? `?${q}` : ''}`;
    if (location.hash === hash) load(); else location.hash = hash;
  });
  await load();
}
