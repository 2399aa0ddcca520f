// A thin client over the coordinator's REST API. Failed calls throw ApiError carrying the RFC 7807 problem.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Validation errors keyed by JSON field name (`width`, `prompts[1]`, …), or {}. */
  get errors() { return this.problem.errors ?? {}; }
}

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  // The session ended (expired, key revoked): the app shows the sign-in form again.
  if (response.status === 401 && !path.startsWith('/api/session')) window.dispatchEvent(new Event('renderfarm:signed-out'));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  session: () => request('GET', '/api/session'),
  signIn: (key) => request('POST', '/api/session', { key }),
  signOut: () => request('DELETE', '/api/session'),
  models: () => request('GET', '/api/models'),
  submitJob: (job) => request('POST', '/api/jobs', job),
  jobs: (limit = 100, studioId) => request('GET', `/api/jobs${query({ limit, studioId })}`),
  job: (id) => request('GET', `/api/jobs/${id}`),
  jobImages: (id) => request('GET', `/api/jobs/${id}/images`),
  cancelJob: (id) => request('POST', `/api/jobs/${id}/cancel`),
  // pause, resume, retry
  controlJob: (id, action) => request('POST', `/api/jobs/${id}/${action}`),
  setJobPriority: (id, priority) => request('POST', `/api/jobs/${id}/priority`, { priority }),
  archiveUrl: (id) => `/api/jobs/${id}/archive`,
  images: (filter) => request('GET', `/api/images${query(filter)}`),
  image: (id) => request('GET', `/api/images/${id}`),
  thumbnailUrl: (id) => `/api/images/${id}/thumbnail`,
  contentUrl: (id) => `/api/images/${id}/content`,
  farm: () => request('GET', '/api/farm'),
  // drain, release
  workerAction: (id, action) => request('POST', `/api/workers/${encodeURIComponent(id)}/${action}`),
  events: (jobId) => new EventSource(`/api/events${query({ jobId })}`),
  schedules: () => request('GET', '/api/schedules'),
  createSchedule: (schedule) => request('POST', '/api/schedules', schedule),
  scheduleAction: (id, action) => request('POST', `/api/schedules/${id}/${action}`),
  deleteSchedule: (id) => request('DELETE', `/api/schedules/${id}`),
  studios: () => request('GET', '/api/studios'),
  usage: (params) => request('GET', `/api/usage${query(params)}`),
  usageCsvUrl: (params) => `/api/usage${query({ ...params, format: 'csv' })}`,
};

/** The fields that submit the same job again (a fresh job with the same seed renders the same images). */
export function resubmission(job) {
  return {
    prompts: job.prompts,
    negativePrompt: job.negativePrompt,
    count: job.count,
    model: job.model,
    width: job.width,
    height: job.height,
    steps: job.steps,
    guidance: job.guidance,
    seed: job.seed,
    priority: job.priority,
    format: job.format,
    // Omitted (undefined) when the job took the model's default, which it then takes again.
    noise: job.noise ?? undefined,
  };
}
