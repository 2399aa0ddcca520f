// The full image with the parameters it was made with, read from the file's own metadata.
import { api } from './api.js';
import { el, shortId, dateTime, copyText, toast } from './format.js';

const dialog = () => document.getElementById('lightbox');
let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  const d = dialog();
  document.getElementById('lightbox-close').addEventListener('click', () => d.close());
  // A click on the backdrop (the dialog element itself, outside its body) closes it.
  d.addEventListener('click', (e) => { if (e.target === d) d.close(); });
  document.getElementById('lightbox-copy').addEventListener('click', async () => {
    await copyText(document.getElementById('lightbox-text').textContent);
    toast('Parameters copied');
  });
}

export async function openLightbox(imageId) {
  wire();
  const d = dialog();
  const image = await api.image(imageId);
  d.dataset.imageId = image.id;
  const img = document.getElementById('lightbox-img');
  img.src = image.url;
  img.alt = image.prompt;

  const row = (label, value, id) => [el('dt', {}, label), el('dd', { id }, value)];
  document.getElementById('lightbox-params').replaceChildren(
    ...row('Prompt', image.prompt, 'lightbox-prompt'),
    ...row('Negative', image.negativePrompt || '—'),
    ...row('Seed', String(image.seed), 'lightbox-seed'),
    ...row('Size', `${image.width}×${image.height}`),
    ...row('Steps', String(image.steps)),
    ...row('Guidance', String(image.guidance)),
    ...row('Model', image.model),
    ...row('Job', el('a', { href: `#/gallery?job=${image.jobId}` }, `${shortId(image.jobId)} #${image.index}`)),
    ...row('Worker', image.workerId ?? '—'),
    ...row('Render', image.renderMilliseconds != null ? `${image.renderMilliseconds} ms` : '—'),
    ...row('Finished', dateTime(image.finishedAt)));
  document.getElementById('lightbox-text').textContent = image.parameters ?? '(no parameters embedded in this file)';
  const download = document.getElementById('lightbox-download');
  download.href = image.url;
  download.download = `${image.jobId.slice(0, 8)}-${String(image.index).padStart(4, '0')}-${image.seed}.${image.format === 'jpeg' ? 'jpg' : image.format}`;
  const jobLink = document.getElementById('lightbox-job');
  jobLink.href = `#/gallery?job=${image.jobId}`;
  jobLink.onclick = () => d.close();
  if (!d.open) d.showModal();
}
