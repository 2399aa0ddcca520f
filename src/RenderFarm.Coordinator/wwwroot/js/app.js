// Hash router: each page module exports render(container, params) and may return a cleanup function.
import { renderGenerate } from './generate.js';
import { renderJobs } from './jobs.js';
import { renderGallery } from './gallery.js';
import { renderFarm } from './farm.js';
import { renderSchedules } from './schedules.js';

const routes = { generate: renderGenerate, jobs: renderJobs, gallery: renderGallery, farm: renderFarm, schedules: renderSchedules };
let cleanup = null;

function parseHash() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { route: routes[path] ? path : 'generate', params: new URLSearchParams(search) };
}

async function show() {
  const { route, params } = parseHash();
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.route === route);
  const view = document.getElementById('view');
  view.replaceChildren();
  view.dataset.page = route;
  document.title = `${route[0].toUpperCase()}${route.slice(1)} · RenderFarm`;
  cleanup = await routes[route](view, params);
}

window.addEventListener('hashchange', show);
show();
