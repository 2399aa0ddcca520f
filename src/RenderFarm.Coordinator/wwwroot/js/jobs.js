// Jobs page: every job with its progress; cancel, pause, resume, retry failed images, re-run, edit, download.
import { api, resubmission } from './api.js';
import { el, shortId, dateTime, jobDuration, progressBar, statusBadge, isActive, toast } from './format.js';

export async function renderJobs(view) {
  const body = el('tbody');
  const table = el('table', { id: 'jobs-table' },
    el('thead', {}, el('tr', {}, ...['Job', 'Prompt', 'Model · size', 'Status', 'Progress', 'Created', 'Duration', ''].map((h) => el('th', {}, h)))),
    body);
  const empty = el('p', { class: 'empty', hidden: true }, 'No jobs yet. ', el('a', { href: '#/generate' }, 'Generate some images.'));
  // Admins see every studio's jobs; a filter narrows them to one.
  const studios = await api.studios().catch(() => []);
  const filter = el('select', { id: 'studio-filter', hidden: studios.length < 2, onchange: () => refresh() },
    el('option', { value: '' }, 'All studios'), ...studios.map((s) => el('option', { value: s.id }, s.name)));
  view.append(el('div', { class: 'inline' }, el('h1', {}, 'Jobs'), filter), el('section', { class: 'panel' }, table, empty));

  const rerun = async (job) => {
    const accepted = await api.submitJob(resubmission(job));
    toast(`Re-running as job ${shortId(accepted.id)}`);
    await refresh();
  };
  // cancel, pause, resume, retry or a new priority; 409: the job moved on (finished, say) while the page still showed
  // it as it was.
  const act = async (job, call, done) => {
    try {
      await call();
      toast(`Job ${shortId(job.id)} ${done}`);
    } catch (error) {
      if (error.status !== 409) throw error;
      toast(`Job ${shortId(job.id)} is ${error.problem.jobStatus} now`);
    }
    await refresh();
  };
  const button = (job, action, label, done, kind = 'secondary') =>
    el('button', { type: 'button', class: `${kind} small`, 'data-action': action, onclick: () => act(job, () => api.controlJob(job.id, action), done) }, label);
  const prioritySelect = (job) =>
    el('select', {
      class: 'small', 'data-action': 'priority', 'aria-label': 'Priority', title: 'Priority of the images still waiting',
      onchange: (e) => act(job, () => api.setJobPriority(job.id, e.target.value), `now has ${e.target.value} priority`),
    }, ...['low', 'normal', 'high'].map((p) => el('option', { value: p, selected: p === job.priority }, `${p[0].toUpperCase()}${p.slice(1)} priority`)));

  const row = (job) => {
    const prompts = job.prompts ?? [];
    return el('tr', { 'data-job-id': job.id, 'data-status': job.status },
      el('td', {}, el('a', { class: 'mono', href: `#/gallery?job=${job.id}`, title: job.id }, shortId(job.id))),
      el('td', {}, el('div', { class: 'prompt', title: prompts.join('\n') }, prompts[0] ?? '', prompts.length > 1 ? el('span', { class: 'muted' }, ` +${prompts.length - 1} more`) : ''),
        el('div', { class: 'muted small' }, `${job.total} images · ${job.priority} priority · seed ${job.seed}`, job.studio ? ` · ${job.studio}` : '')),
      el('td', { class: 'nowrap' }, job.model, el('div', { class: 'muted small' }, `${job.width}×${job.height} · ${job.steps} steps`)),
      el('td', {}, statusBadge(job.status)),
      el('td', { style: 'min-width:9rem' }, progressBar(job.total, job.completed, job.failed),
        el('div', { class: 'muted small' }, `${job.completed}/${job.total}`, job.failed ? ` · ${job.failed} failed` : '', job.cancelled ? ` · ${job.cancelled} cancelled` : '')),
      el('td', { class: 'small' }, dateTime(job.createdAt)),
      el('td', { class: 'small' }, jobDuration(job),
        job.eta ? el('div', { class: 'muted', 'data-eta': job.eta }, `ETA ${dateTime(job.eta)}`) : null,
        job.atRisk ? el('div', { class: 'badge failed', 'data-at-risk': true, title: `Deadline ${dateTime(job.deadline)}` }, 'at risk') : null),
      el('td', {}, el('div', { class: 'actions-row' },
        isActive(job) ? button(job, 'cancel', 'Cancel', 'cancelled', 'danger') : null,
        isActive(job) ? prioritySelect(job) : null,
        job.status === 'queued' || job.status === 'running' ? button(job, 'pause', 'Pause', 'paused') : null,
        job.status === 'paused' ? button(job, 'resume', 'Resume', 'resumed') : null,
        job.failed > 0 && !isActive(job) && job.status !== 'cancelled' ? button(job, 'retry', 'Retry failed', 'retries its failed images') : null,
        el('button', { type: 'button', class: 'secondary small', 'data-action': 'rerun', title: 'Submit again with the same parameters and seed', onclick: () => rerun(job) }, 'Re-run'),
        el('a', { class: 'button secondary small', href: `#/generate?from=${job.id}`, title: 'Open in the form' }, 'Edit'),
        job.completed > 0 ? el('a', { class: 'button secondary small', 'data-action': 'zip', href: api.archiveUrl(job.id), download: true }, 'Zip') : null)));
  };

  async function refresh() {
    const jobs = await api.jobs(100, filter.value).catch(() => null);
    if (!jobs) return;
    body.replaceChildren(...jobs.map(row));
    empty.hidden = jobs.length > 0;
    table.hidden = jobs.length === 0;
  }

  await refresh();
  const timer = setInterval(refresh, 3000);
  return () => clearInterval(timer);
}
