// Small display helpers shared by the pages.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The tail, not the head: job ids are version-7 GUIDs, whose head is a timestamp shared by jobs of the same minute.
export const shortId = (id) => id.slice(-8);

export function dateTime(value) {
  if (!value) return '—';
  return new Date(value).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function jobDuration(job, now = Date.now()) {
  if (!job.startedAt) return job.finishedAt ? duration(Date.parse(job.finishedAt) - Date.parse(job.createdAt)) : '—';
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return duration(end - Date.parse(job.startedAt));
}

export function progressBar(total, completed, failed = 0) {
  const pct = (n) => (total > 0 ? `${(100 * n) / total}%` : '0%');
  return el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': completed },
    el('div', { class: 'done', style: `width:${pct(completed)}` }),
    el('div', { class: 'failed', style: `width:${pct(failed)}` }));
}

export const statusBadge = (status) => el('span', { class: `badge ${status}`, 'data-status': status }, status.replaceAll('_', ' '));

export const isActive = (job) => job.status === 'queued' || job.status === 'running' || job.status === 'paused';

let toastTimer;
export function toast(message) {
  const node = document.getElementById('toast');
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 3500);
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (no secure context or permission): the old way still works in every browser.
    const area = el('textarea', { style: 'position:fixed;opacity:0' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
