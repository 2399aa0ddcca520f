// Validates every document of k8s/*.yaml, and what `kubectl kustomize k8s/` renders (given on stdin or as a file),
// against the Kubernetes JSON schemas of the npm kubernetes-models packages. Run by scripts/validate-manifests.sh.
//
//   node validate-manifests.mjs FILE...      each FILE is multi-document YAML
//
// A document's apiVersion picks the module (core "v1" -> kubernetes-models/v1, "apps/v1" ->
// kubernetes-models/apps/v1, a CRD group listed in EXTRA_GROUPS -> its own package) and its kind the model class.
// A kind with no schema is an error, not a skip: an unvalidated manifest would pass silently.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";

// Custom resources validated from their own @kubernetes-models package (installed by validate-manifests.sh).
const EXTRA_GROUPS = { "keda.sh": "@kubernetes-models/keda" };
// Not Kubernetes API objects: kustomize's own configuration, checked by `kubectl kustomize` rendering it.
const NOT_API_OBJECTS = new Set(["kustomize.config.k8s.io/v1beta1/Kustomization"]);

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const module = group in EXTRA_GROUPS ? `${EXTRA_GROUPS[group]}/${apiVersion}` : `kubernetes-models/${apiVersion}`;
  let exports;
  try {
    exports = await import(module);
  } catch {
    return undefined;
  }
  return exports[kind];
}

let documents = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  const parsed = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [index, doc] of parsed.entries()) {
    const where = `${basename(file)} document ${index + 1}`;
    if (doc.errors.length > 0) {
      problems.push(`${where}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    const { apiVersion, kind } = object;
    const name = `${kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      problems.push(`${where}: no apiVersion/kind`);
      continue;
    }
    documents++;
    if (NOT_API_OBJECTS.has(`${apiVersion}/${kind}`)) {
      continue;
    }
    const Model = await modelFor(apiVersion, kind);
    if (typeof Model !== "function") {
      problems.push(`${where} (${name}): no schema for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problems.push(`${where} (${name}): ${e.message}`);
    }
  }
}

for (const problem of problems) {
  console.error(`validate-manifests: ${problem}`);
}
console.log(`validate-manifests: ${documents} documents in ${process.argv.length - 2} files, ${problems.length} invalid`);
process.exit(problems.length === 0 && documents > 0 ? 0 : 1);
