// Hash router: each page module exports render(container, params) and may return a cleanup function.
import { renderGenerate } from './generate.js';
import { renderJobs } from './jobs.js';
import { renderGallery } from './gallery.js';
import { renderFarm } from './farm.js';
import { renderSchedules } from './schedules.js';
import { renderUsage } from './usage.js';
import { api, ApiError } from './api.js';

const routes = { generate: renderGenerate, jobs: renderJobs, gallery: renderGallery, farm: renderFarm, schedules: renderSchedules, usage: renderUsage };
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

// Every page needs a session (the API answers 401 without one): sign in first, with a key, once per browser session.
async function start() {
  try {
    signedIn(await api.session());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signedOut();
    throw e;
  }
}

function signedIn(caller) {
  document.getElementById('signin').hidden = true;
  document.getElementById('view').hidden = false;
  document.getElementById('nav').hidden = false;
  document.getElementById('whoami').hidden = false;
  document.getElementById('whoami-text').textContent = `${caller.studio} · ${caller.role}`;
  show();
}

function signedOut() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  document.getElementById('view').replaceChildren();
  document.getElementById('view').hidden = true;
  document.getElementById('nav').hidden = true;
  document.getElementById('whoami').hidden = true;
  document.getElementById('signin').hidden = false;
  document.getElementById('signin-key').focus();
}

document.getElementById('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('signin-key');
  const error = document.getElementById('signin-error');
  try {
    const caller = await api.signIn(input.value.trim());
    input.value = '';
    error.hidden = true;
    signedIn(caller);
  } catch (e) {
    error.textContent = e.errors.key?.[0] ?? e.message;
    error.hidden = false;
  }
});

document.getElementById('sign-out').addEventListener('click', async () => {
  await api.signOut();
  signedOut();
});

window.addEventListener('renderfarm:signed-out', signedOut);
window.addEventListener('hashchange', () => { if (document.getElementById('signin').hidden) show(); });
start();
