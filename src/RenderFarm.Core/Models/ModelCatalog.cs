using RenderFarm.Contracts;
using RenderFarm.Core.Workers;

namespace RenderFarm.Core.Models;

/// <summary>
/// The farm's models at one moment, derived from what workers advertise and the operator's overrides: the one place
/// a job's model, size and defaults are checked against.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, CatalogModel> _byName;
    private readonly Dictionary<string, string> _aliases;
    private readonly IReadOnlyList<WorkerRecord> _live;

    private ModelCatalog(IReadOnlyList<CatalogModel> models, string? defaultName, Dictionary<string, string> aliases, IReadOnlyList<WorkerRecord> live)
    {
        Models = models;
        _byName = models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _aliases = aliases;
        _live = live;
        DefaultName = defaultName is not null && (_byName.ContainsKey(defaultName) || aliases.ContainsKey(defaultName))
            ? Resolve(defaultName)
            : (models.Count > 0 ? models[0].Name : null);
    }

    /// <summary>The configured models in their order, then the others by name.</summary>
    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>The model of a job that names none; null when the catalog is empty.</summary>
    public string? DefaultName { get; }

    /// <summary>The model <paramref name="name"/> (or an alias of it) names, or the default one for null; null when unknown.</summary>
    public CatalogModel? Find(string? name)
    {
        var wanted = name is null ? DefaultName : Resolve(name);
        return wanted is not null && _byName.TryGetValue(wanted, out var model) ? model : null;
    }

    /// <summary>The live workers the catalog was built with.</summary>
    public IReadOnlyList<WorkerRecord> LiveWorkers => _live;

    /// <summary>
    /// Whether <paramref name="worker"/> holds the model the catalog lists under <paramref name="model"/>: any worker
    /// advertising the name when its workers agree, only those with the chosen identity when they conflict.
    /// </summary>
    public bool HoldsListedModel(WorkerRecord worker, string model)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (!_byName.TryGetValue(model, out var listed) || listed.Conflicts.Count == 0)
        {
            return true;
        }

        return Advertisements(worker).Any(a => a.Name == model && a.Identity == listed.Identity);
    }

    /// <summary>Whether a live worker serves <paramref name="model"/> and has every label of <paramref name="requirements"/>.</summary>
    public bool HasWorkerFor(string model, IEnumerable<string> requirements) =>
        _live.Any(w => WorkerLabels.Serves(w, model, requirements) && HoldsListedModel(w, model));

    private string Resolve(string name) => _aliases.TryGetValue(name, out var target) ? target : name;

    /// <param name="workers">Workers heard from within the grace period, live or not.</param>
    /// <param name="liveSince">Workers last seen before this are gone: their models stay listed, served by no one.</param>
    public static ModelCatalog Build(ModelCatalogOptions options, IEnumerable<WorkerRecord> workers, DateTimeOffset liveSince)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workers);
        var recent = workers.ToList();
        var live = recent.Where(w => w.LastSeen >= liveSince).ToList();
        var overrides = options.Available.ToDictionary(m => m.Name, StringComparer.Ordinal);

        var advertised = recent
            .SelectMany(w => Advertisements(w).Select(a => (Worker: w, Model: a)))
            .GroupBy(x => x.Model.Name, StringComparer.Ordinal);
        var models = new Dictionary<string, CatalogModel>(StringComparer.Ordinal);
        foreach (var name in advertised)
        {
            var identities = name
                .GroupBy(x => x.Model.Identity, StringComparer.Ordinal)
                .Select(g => (Identity: g.Key, Entries: g.ToList(), Live: g.Count(x => x.Worker.LastSeen >= liveSince), LastSeen: g.Max(x => x.Worker.LastSeen)))
                // The identity most live workers hold gives the rules (and alone gets the model's images); the others are
                // reported, not mixed in. Ties go by identity, so the choice does not flip with each heartbeat.
                .OrderByDescending(g => g.Live).ThenByDescending(g => g.Entries.Count).ThenBy(g => g.Identity, StringComparer.Ordinal)
                .ToList();
            var chosen = identities[0].Entries.OrderByDescending(x => x.Worker.LastSeen).First().Model;
            var conflicts = identities.Count > 1
                ? identities.Select(g => new ModelConflict(g.Identity, [.. g.Entries.Select(x => x.Worker.Id).Order(StringComparer.Ordinal)])).ToList()
                : [];
            var definition = new ModelDefinition
            {
                Name = chosen.Name,
                Family = chosen.Family,
                SizeMultiple = chosen.SizeMultiple,
                MinSize = chosen.MinSize,
                MaxSize = chosen.MaxSize,
                DefaultWidth = chosen.DefaultWidth,
                DefaultHeight = chosen.DefaultHeight,
                DefaultSteps = chosen.DefaultSteps,
                DefaultGuidance = chosen.DefaultGuidance,
                Sampler = chosen.Sampler,
            };
            var serving = name.Where(x => x.Worker.LastSeen >= liveSince).Select(x => x.Worker.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            models[name.Key] = new CatalogModel(definition, chosen.Identity, [], serving, conflicts, false, name.Max(x => x.Worker.LastSeen));
        }

        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in overrides.Values)
        {
            var model = models.GetValueOrDefault(entry.Name) ?? new CatalogModel(new ModelDefinition { Name = entry.Name }, null, [], [], [], true, null);
            var d = model.Definition;
            models[entry.Name] = model with
            {
                Configured = true,
                Definition = d with
                {
                    SizeMultiple = entry.SizeMultiple ?? d.SizeMultiple,
                    MinSize = entry.MinSize ?? d.MinSize,
                    MaxSize = entry.MaxSize ?? d.MaxSize,
                    DefaultWidth = entry.DefaultWidth ?? d.DefaultWidth,
                    DefaultHeight = entry.DefaultHeight ?? d.DefaultHeight,
                    DefaultSteps = entry.DefaultSteps ?? d.DefaultSteps,
                    DefaultGuidance = entry.DefaultGuidance ?? d.DefaultGuidance,
                    RequireLabels = WorkerLabels.Normalize(entry.RequireLabels),
                },
            };
            foreach (var alias in entry.Aliases.Where(a => !models.ContainsKey(a)))
            {
                aliases[alias] = entry.Name;
            }
        }

        // An alias never hides a model a worker advertises under that very name.
        foreach (var alias in aliases.Keys.Where(models.ContainsKey).ToList())
        {
            aliases.Remove(alias);
        }

        // The operator's models first, in the operator's order (the first is the default unless Models:Default says
        // otherwise), then the ones only workers know, by name.
        var order = options.Available.Select((m, i) => (m.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var listed = models.Values
            .Select(m => m with { Aliases = [.. aliases.Where(a => a.Value == m.Name).Select(a => a.Key).Order(StringComparer.Ordinal)] })
            .OrderBy(m => order.GetValueOrDefault(m.Name, int.MaxValue))
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        return new ModelCatalog(listed, options.Default, aliases, live);
    }

    /// <summary>A worker that predates the catalog advertises names only: they count with the generic rules.</summary>
    private static IEnumerable<ModelAdvertisement> Advertisements(WorkerRecord worker) =>
        worker.Catalog.Count > 0 ? worker.Catalog : worker.Models.Select(GenericModel.Advertise);
}
