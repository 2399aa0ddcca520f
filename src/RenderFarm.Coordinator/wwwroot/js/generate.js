// Generate page: the job form, then the job's images arriving live over server-sent events.
import { api, ApiError } from './api.js';
import { el, shortId, duration, progressBar, statusBadge, isActive } from './format.js';
import { openLightbox } from './lightbox.js';

const PRESETS = [[512, 512], [768, 768], [1024, 1024], [576, 1024], [1024, 576]];
const MAX_SEED = 2 ** 32;

// Drawn rather than an emoji: minimal Linux installs often have no emoji font.
function diceIcon() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = '<rect x="3" y="3" width="18" height="18" rx="4" fill="none" stroke="currentColor" stroke-width="2"/>'
    + [[8, 8], [16, 8], [12, 12], [8, 16], [16, 16]].map(([x, y]) => `<circle cx="${x}" cy="${y}" r="1.6" fill="currentColor"/>`).join('');
  return svg;
}

const field = (name, label, control, hint) =>
  el('div', { class: 'field', 'data-field': name },
    el('label', { for: name }, label), control,
    hint ? el('p', { class: 'hint' }, hint) : null,
    el('p', { class: 'error', 'data-error-for': name }));

export async function renderGenerate(view, params) {
  const form = el('form', { id: 'generate-form', novalidate: true },
    el('p', { class: 'form-error', id: 'form-error' }),
    el('div', { class: 'form-grid' },
      el('div', {},
        field('prompts', 'Prompts', el('textarea', { id: 'prompts', name: 'prompts', rows: 7, placeholder: 'a lighthouse at dawn, volumetric light\na red fox in the snow' }), 'One prompt per line; each gets its own set of images.'),
        field('negativePrompt', 'Negative prompt', el('textarea', { id: 'negativePrompt', name: 'negativePrompt', rows: 2, placeholder: 'blurry, low quality' })),
        el('div', { class: 'field-row' },
          field('count', 'Images per prompt', el('input', { id: 'count', name: 'count', type: 'number', min: 1, value: 4 })),
          field('priority', 'Priority', el('select', { id: 'priority', name: 'priority' },
            el('option', { value: 'low' }, 'Low'), el('option', { value: 'normal', selected: true }, 'Normal'), el('option', { value: 'high' }, 'High'))))),
      el('div', {},
        field('model', 'Model', el('select', { id: 'model', name: 'model' })),
        field('size', 'Size', el('select', { id: 'size', name: 'size' },
          ...PRESETS.map(([w, h]) => el('option', { value: `${w}x${h}` }, w === h ? `${w}² (${w}×${h})` : `${w}×${h} ${w < h ? 'portrait' : 'landscape'}`)),
          el('option', { value: 'custom' }, 'Custom…'))),
        el('div', { class: 'field-row', id: 'custom-size', hidden: true },
          field('width', 'Width', el('input', { id: 'width', name: 'width', type: 'number', step: 8 })),
          field('height', 'Height', el('input', { id: 'height', name: 'height', type: 'number', step: 8 }))),
        el('div', { class: 'field-row' },
          field('steps', 'Steps', el('input', { id: 'steps', name: 'steps', type: 'number', min: 1 })),
          field('guidance', 'Guidance (CFG)', el('input', { id: 'guidance', name: 'guidance', type: 'number', step: 0.5, min: 0 }))),
        field('seed', 'Seed', el('div', { class: 'inline' },
          el('select', { id: 'seedMode', name: 'seedMode', 'aria-label': 'Seed mode' },
            el('option', { value: 'random' }, 'Random'), el('option', { value: 'fixed' }, 'Fixed')),
          el('input', { id: 'seed', name: 'seed', type: 'number', min: 0, placeholder: 'chosen by the farm', disabled: true }),
          el('button', { type: 'button', class: 'secondary', id: 'dice', title: 'Roll a random fixed seed', 'aria-label': 'Roll a random seed' }, diceIcon())),
          'Image i of the job gets seed + i.'),
        field('format', 'Format', el('select', { id: 'format', name: 'format' },
          el('option', { value: 'png' }, 'PNG'), el('option', { value: 'jpeg' }, 'JPEG'), el('option', { value: 'webp' }, 'WebP'))),
        field('noise', 'Initial noise', el('select', { id: 'noise', name: 'noise' },
          el('option', { value: '' }, "The model's default"),
          el('option', { value: 'torch-cpu' }, 'torch-cpu (diffusers, ComfyUI, A1111 on CPU)'),
          el('option', { value: 'renderfarm' }, 'renderfarm')),
          'With torch-cpu a seed renders what other tools render from it on CPU noise.'))),
    el('div', { class: 'submit-row' },
      el('span', { class: 'muted small', id: 'image-total' }),
      el('button', { type: 'submit', id: 'submit' }, 'Generate')));

  const progress = el('section', { class: 'panel', id: 'job-progress', hidden: true });
  view.append(el('h1', {}, 'Generate'), el('section', { class: 'panel' }, form), progress);

  const $ = (id) => form.querySelector(`#${id}`);
  // Until the catalog (and a job being edited) is in, the model's defaults would overwrite what the user chose: the
  // form takes no input yet.
  const waiting = [...form.elements].filter((c) => !c.disabled);
  for (const c of waiting) c.disabled = true;
  const models = await api.models().catch(() => []);
  // The catalog comes from the workers: say which models have none now (their jobs wait) and which are in conflict.
  for (const m of models) {
    const notes = [m.workers.length ? '' : 'no worker', m.conflicts.length ? 'conflicting copies' : ''].filter(Boolean);
    $('model').append(el('option', { value: m.name, selected: m.isDefault }, notes.length ? `${m.name} (${notes.join(', ')})` : m.name));
  }
  const presetOption = (w, h, note) => el('option', { value: `${w}x${h}` },
    (w === h ? `${w}² (${w}×${h})` : `${w}×${h} ${w < h ? 'portrait' : 'landscape'}`) + (note ? ` — ${note}` : ''));
  // Only the sizes the model allows, its own default first.
  const setPresets = (m) => {
    const fits = (n) => n >= m.minSize && n <= m.maxSize && n % m.sizeMultiple === 0;
    const sizes = PRESETS.filter(([w, h]) => fits(w) && fits(h) && !(w === m.defaultWidth && h === m.defaultHeight));
    $('size').replaceChildren(presetOption(m.defaultWidth, m.defaultHeight, 'model default'),
      ...sizes.map(([w, h]) => presetOption(w, h)), el('option', { value: 'custom' }, 'Custom…'));
  };

  const currentModel = () => models.find((m) => m.name === $('model').value);
  const applyModelDefaults = () => {
    const m = currentModel();
    if (!m) return;
    $('steps').value = m.defaultSteps;
    $('guidance').value = m.defaultGuidance;
    for (const id of ['width', 'height']) { $(id).step = m.sizeMultiple; $(id).min = m.minSize; $(id).max = m.maxSize; }
    setPresets(m);
    const preset = `${m.defaultWidth}x${m.defaultHeight}`;
    const known = [...$('size').options].some((o) => o.value === preset);
    setSize(known ? preset : 'custom', m.defaultWidth, m.defaultHeight);
  };
  const setSize = (value, width, height) => {
    $('size').value = value;
    if (value !== 'custom') [width, height] = value.split('x').map(Number);
    $('width').value = width;
    $('height').value = height;
    $('custom-size').hidden = value !== 'custom';
  };
  const setSeedMode = (mode) => {
    $('seedMode').value = mode;
    $('seed').disabled = mode === 'random';
    if (mode === 'random') $('seed').value = '';
  };
  const updateTotal = () => {
    const prompts = promptLines().length;
    const count = Number($('count').value) || 0;
    $('image-total').textContent = prompts ? `${prompts} prompt${prompts > 1 ? 's' : ''} × ${count} = ${prompts * count} images` : '';
  };
  const promptLines = () => $('prompts').value.split('\n').map((p) => p.trim()).filter((p) => p.length > 0);

  $('model').addEventListener('change', applyModelDefaults);
  $('size').addEventListener('change', () => setSize($('size').value, Number($('width').value), Number($('height').value)));
  $('seedMode').addEventListener('change', () => setSeedMode($('seedMode').value));
  $('dice').addEventListener('click', () => {
    setSeedMode('fixed');
    $('seed').value = Math.floor(Math.random() * MAX_SEED);
  });
  $('prompts').addEventListener('input', updateTotal);
  $('count').addEventListener('input', updateTotal);
  form.addEventListener('input', (e) => clearError(e.target.closest('.field')?.dataset.field));
  applyModelDefaults();

  // "Edit" from the jobs page: the form starts with that job's parameters.
  if (params.get('from')) {
    try {
      fill(await api.job(params.get('from')));
    } catch { /* the job is gone: start from the defaults */ }
  }
  updateTotal();
  for (const c of waiting) c.disabled = false;

  function fill(job) {
    $('prompts').value = (job.prompts ?? []).join('\n');
    $('negativePrompt').value = job.negativePrompt ?? '';
    $('count').value = job.count || 1;
    $('priority').value = job.priority;
    if (models.some((m) => m.name === job.model)) { $('model').value = job.model; applyModelDefaults(); }
    const preset = `${job.width}x${job.height}`;
    setSize([...$('size').options].some((o) => o.value === preset) ? preset : 'custom', job.width, job.height);
    $('steps').value = job.steps;
    $('guidance').value = job.guidance;
    setSeedMode('fixed');
    $('seed').value = job.seed;
    $('format').value = job.format ?? 'png';
    $('noise').value = job.noise ?? '';
  }

  function readForm() {
    const number = (id) => ($(id).value === '' ? undefined : Number($(id).value));
    return {
      prompts: promptLines(),
      negativePrompt: $('negativePrompt').value.trim(),
      count: number('count'),
      model: $('model').value || undefined,
      width: number('width'),
      height: number('height'),
      steps: number('steps'),
      guidance: number('guidance'),
      seed: $('seedMode').value === 'fixed' ? number('seed') : undefined,
      priority: $('priority').value,
      format: $('format').value,
      noise: $('noise').value || undefined,
    };
  }

  function clearError(name) {
    if (!name) return;
    const f = form.querySelector(`[data-field="${name}"]`);
    f?.classList.remove('invalid');
    const p = form.querySelector(`[data-error-for="${name}"]`);
    if (p) p.textContent = '';
  }

  function showErrors(errors) {
    const unplaced = [];
    for (const [key, messages] of Object.entries(errors)) {
      // `prompts[2]` belongs to the prompts box (line 3); size errors go beside width/height, shown as custom.
      const match = /^(\w+)(?:\[(\d+)\])?/.exec(key);
      let name = match?.[1] ?? key;
      const line = match?.[2] !== undefined ? Number(match[2]) + 1 : null;
      if ((name === 'width' || name === 'height') && $('size').value !== 'custom') setSize('custom', Number($('width').value), Number($('height').value));
      const target = form.querySelector(`[data-error-for="${name}"]`);
      const text = messages.map((m) => (line ? `Line ${line}: ${m}` : m)).join(' ');
      if (!target) { unplaced.push(text); continue; }
      target.textContent = target.textContent ? `${target.textContent} ${text}` : text;
      form.querySelector(`[data-field="${name}"]`)?.classList.add('invalid');
    }
    $('form-error').textContent = unplaced.join(' ');
  }

  let stopWatching = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const p of form.querySelectorAll('[data-error-for]')) clearError(p.dataset.errorFor);
    $('form-error').textContent = '';
    $('submit').disabled = true;
    try {
      const accepted = await api.submitJob(readForm());
      stopWatching?.();
      stopWatching = watchJob(progress, accepted.id);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.errors).length) showErrors(error.errors);
      else $('form-error').textContent = error.message;
    } finally {
      $('submit').disabled = false;
    }
  });

  return () => stopWatching?.();
}

/** Shows one job's progress and its images as they finish; returns a function that stops watching. */
export function watchJob(panel, jobId) {
  const seen = new Map();
  const grid = el('div', { class: 'grid', id: 'live-images' });
  const head = el('div', { class: 'progress-head' });
  const bar = el('div', { id: 'job-progress-bar' });
  // Step progress of the batch in a worker's engine (imageProgress events, a few a second at most).
  const steps = el('div', { class: 'muted small', id: 'job-steps' });
  panel.hidden = false;
  panel.replaceChildren(head, bar, steps, el('h3', {}, 'Images'), grid);
  panel.dataset.jobId = jobId;

  let job = null;
  let timer = null;
  let source = null;

  const addImage = (image) => {
    if (seen.has(image.id)) return;
    const tile = image.failed
      ? el('div', { class: 'tile failed', 'data-index': image.index, title: image.error },
        el('div', { class: 'caption' }, `#${image.index} failed: ${image.error ?? ''}`))
      : el('button', { type: 'button', class: 'tile', 'data-image-id': image.id, 'data-index': image.index, onclick: () => openLightbox(image.id) },
        el('img', { src: image.thumbnailUrl, alt: `Image ${image.index}, seed ${image.seed}`, loading: 'lazy' }),
        el('div', { class: 'caption' }, `#${image.index} · seed ${image.seed}`));
    seen.set(image.id, tile);
    // Keep the grid in job order whatever order the images finish in.
    const after = [...grid.children].find((t) => Number(t.dataset.index) > image.index);
    grid.insertBefore(tile, after ?? null);
  };

  const render = () => {
    if (!job) return;
    const done = job.completed + job.failed + job.cancelled;
    const started = Date.parse(job.startedAt ?? job.createdAt);
    const elapsed = (job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - started;
    const rate = job.completed > 0 && elapsed > 0 ? job.completed / elapsed : 0;
    const eta = isActive(job) ? (rate > 0 ? `ETA ${duration((job.total - done) / rate)}` : 'ETA —') : `took ${duration(elapsed)}`;
    head.replaceChildren(
      el('div', {}, el('strong', {}, `Job ${shortId(job.id)} `), statusBadge(job.status)),
      el('div', { class: 'muted small', id: 'job-counts' }, `${job.completed} of ${job.total} rendered`, job.failed ? `, ${job.failed} failed` : '', ` · ${eta}`,
        job.gpuSeconds ? el('span', { id: 'job-usage' }, ` · ${job.gpuSeconds.toFixed(1)} GPU-s, cost ${job.cost.toFixed(4)}`) : null),
      el('div', { class: 'inline' },
        isActive(job) ? el('button', { type: 'button', class: 'danger small', onclick: () => api.cancelJob(jobId).catch((e) => { if (e.status !== 409) throw e; }).then(refresh) }, 'Cancel') : null,
        job.completed > 0 ? el('a', { class: 'button secondary small', href: api.archiveUrl(jobId), download: true }, 'Download zip') : null,
        el('a', { class: 'button secondary small', href: `#/gallery?job=${jobId}` }, 'Gallery')));
    bar.replaceChildren(progressBar(job.total, job.completed, job.failed));
  };

  // Events say an image is ready; the job row says how far the whole job is. Polling the job also catches
  // whatever happened before the event stream was open, and the end of the job.
  const refresh = async () => {
    try {
      job = await api.job(jobId);
      render();
      if (!isActive(job)) {
        steps.textContent = '';
        stop(false);
      }
    } catch { /* a blip: the next tick tries again */ }
  };
  // A big job finishes many images a second: one job refresh per burst of events is plenty.
  let pending = null;
  const refreshSoon = () => { pending ??= setTimeout(() => { pending = null; refresh(); }, 300); };
  const catchUp = async () => {
    const images = await api.jobImages(jobId).catch(() => []);
    for (const image of images) {
      if (image.status === 'rendered') addImage({ id: image.id, index: image.index, seed: image.seed, thumbnailUrl: api.thumbnailUrl(image.id) });
      else if (image.status === 'failed') addImage({ id: image.id, index: image.index, failed: true, error: image.error });
    }
  };

  source = api.events(jobId);
  source.addEventListener('ready', catchUp);
  source.addEventListener('imageRendered', (e) => {
    const image = JSON.parse(e.data);
    addImage({ id: image.imageId, index: image.index, seed: image.seed, thumbnailUrl: image.thumbnailUrl });
    refreshSoon();
  });
  source.addEventListener('imageProgress', (e) => {
    const p = JSON.parse(e.data);
    steps.textContent = `In the engine: image #${p.index} at step ${p.step} of ${p.totalSteps}`;
  });
  source.addEventListener('imageFailed', (e) => {
    const image = JSON.parse(e.data);
    addImage({ id: image.imageId, index: image.index, failed: true, error: image.error });
    refreshSoon();
  });
  timer = setInterval(refresh, 2000);
  refresh();

  function stop(hard = true) {
    clearInterval(timer);
    clearTimeout(pending);
    source?.close();
    source = null;
    if (!hard) catchUp(); // the last images may have finished between events and the final poll
  }
  return stop;
}
