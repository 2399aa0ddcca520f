using RenderFarm.Contracts;
using RenderFarm.Core.Models;
using RenderFarm.Core.Workers;

namespace RenderFarm.UnitTests.Models;

public sealed class ModelCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LiveSince = Now.AddSeconds(-30);

    private static ModelAdvertisement Model(string name, string identity, int size = 512, int steps = 4) =>
        GenericModel.Advertise(name) with { Identity = identity, DefaultWidth = size, DefaultHeight = size, DefaultSteps = steps, Family = "stable-diffusion" };

    private static WorkerRecord Worker(string id, DateTimeOffset lastSeen, IReadOnlyList<string>? labels = null, long? memory = null, params ModelAdvertisement[] models) => new()
    {
        Id = id,
        Models = [.. models.Select(m => m.Name)],
        Catalog = [.. models],
        Labels = [.. labels ?? []],
        DeviceMemoryBytes = memory,
        LastSeen = lastSeen,
    };

    [Fact]
    public void Workers_with_different_models_make_up_the_catalog_with_their_own_defaults()
    {
        var catalog = ModelCatalog.Build(new ModelCatalogOptions(), [
            Worker("a", Now, models: Model("sd-turbo", "sha256:1", 512, 4)),
            Worker("b", Now, models: Model("sdxl", "sha256:2", 1024, 20)),
        ], LiveSince);

        Assert.Equal(["sd-turbo", "sdxl"], catalog.Models.Select(m => m.Name));
        Assert.Equal("sd-turbo", catalog.DefaultName);
        Assert.Equal((1024, 20), (catalog.Find("sdxl")!.Definition.DefaultWidth, catalog.Find("sdxl")!.Definition.DefaultSteps));
        Assert.Equal(["b"], catalog.Find("sdxl")!.Workers);
        Assert.Empty(catalog.Find("sdxl")!.Conflicts);
    }

    [Fact]
    public void Two_identities_under_one_name_are_a_conflict_and_the_live_majority_gives_the_rules()
    {
        var catalog = ModelCatalog.Build(new ModelCatalogOptions(), [
            Worker("a", Now, models: Model("sd-turbo", "sha256:1", 512)),
            Worker("b", Now, models: Model("sd-turbo", "sha256:1", 512)),
            Worker("c", Now, models: Model("sd-turbo", "sha256:2", 768)),
        ], LiveSince);

        var model = catalog.Find("sd-turbo")!;
        Assert.Equal("sha256:1", model.Identity);
        Assert.Equal([true, true, false], catalog.LiveWorkers.OrderBy(w => w.Id).Select(w => catalog.HoldsListedModel(w, "sd-turbo")));
        Assert.Equal(512, model.Definition.DefaultWidth);
        Assert.Equal([("sha256:1", "a,b"), ("sha256:2", "c")], model.Conflicts.Select(c => (c.Identity, string.Join(',', c.Workers))));
    }

    [Fact]
    public void A_model_whose_workers_left_stays_listed_but_served_by_no_one()
    {
        var catalog = ModelCatalog.Build(new ModelCatalogOptions(), [Worker("gone", Now.AddMinutes(-5), models: Model("sdxl", "sha256:2"))], LiveSince);

        var model = catalog.Find("sdxl")!;
        Assert.Empty(model.Workers);
        Assert.False(catalog.HasWorkerFor("sdxl", []));
    }

    [Fact]
    public void Overrides_replace_what_they_set_and_add_aliases_and_models_nobody_serves()
    {
        var options = new ModelCatalogOptions
        {
            Default = "turbo",
            Available =
            [
                new ModelOverride { Name = "sd-turbo", MaxSize = 1024, Aliases = ["turbo"], RequireLabels = ["studio-a"] },
                new ModelOverride { Name = "flux", DefaultSteps = 28 },
            ],
        };
        var catalog = ModelCatalog.Build(options, [Worker("a", Now, models: Model("sd-turbo", "sha256:1", 768))], LiveSince);

        var turbo = catalog.Find("turbo")!;
        Assert.Equal("sd-turbo", catalog.DefaultName);
        Assert.Equal(("sd-turbo", 768, 1024, true), (turbo.Name, turbo.Definition.DefaultWidth, turbo.Definition.MaxSize, turbo.Configured));
        Assert.Equal(["turbo"], turbo.Aliases);
        Assert.Equal(["studio-a"], turbo.Definition.RequireLabels);
        Assert.Equal(28, catalog.Find("flux")!.Definition.DefaultSteps);
        Assert.Empty(catalog.Find("flux")!.Workers);
        Assert.Null(catalog.Find("sdxl"));
    }

    [Fact]
    public void A_worker_serves_a_requirement_only_with_every_label_and_enough_memory()
    {
        var catalog = ModelCatalog.Build(new ModelCatalogOptions(), [
            Worker("small", Now, ["cuda", "studio-a"], 16L << 30, Model("sdxl", "sha256:2")),
            Worker("big", Now, ["cuda", "studio-b"], 80L << 30, Model("sdxl", "sha256:2")),
        ], LiveSince);

        Assert.True(catalog.HasWorkerFor("sdxl", ["studio-a"]));
        Assert.True(catalog.HasWorkerFor("sdxl", ["cuda", "memory>=24g"]));
        Assert.False(catalog.HasWorkerFor("sdxl", ["studio-a", "memory>=24g"]));
        Assert.False(catalog.HasWorkerFor("sdxl", ["studio-c"]));
        Assert.False(catalog.HasWorkerFor("sd-turbo", []));
    }
}
