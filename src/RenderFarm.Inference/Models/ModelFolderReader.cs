using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RenderFarm.Contracts;
using RenderFarm.Inference.Schedulers;

namespace RenderFarm.Inference.Models;

/// <summary>
/// The one reader of model folders and their <c>renderfarm.json</c>, for the worker (configured folders and its models
/// root), the embedded mode and the CLI's <c>--models</c> folder alike.
/// </summary>
public static partial class ModelFolderReader
{
    public const string SettingsFile = "renderfarm.json";

    /// <summary>Files up to this size count whole in the identity; larger ones (weights) by samples.</summary>
    private const int SmallFile = 1 << 20;
    private const int Sample = 64 << 10;

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Whether <paramref name="folder"/> is a model folder at all (diffusers layout: <c>model_index.json</c> at its root).</summary>
    public static bool IsModelFolder(string folder) => File.Exists(Path.Combine(folder, "model_index.json"));

    /// <summary>The model folders directly under <paramref name="root"/>, each named by its folder, by name; none when it does not exist.</summary>
    /// <remarks>A folder whose name cannot name a model (it names a queue) is skipped, as is one that cannot be read; <paramref name="skipped"/> hears why.</remarks>
    public static IReadOnlyList<ModelFolder> Scan(string root, Action<string, Exception>? skipped = null, IdentityCache? identities = null)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var found = new List<ModelFolder>();
        foreach (var folder in Directory.GetDirectories(root).Where(IsModelFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            try
            {
                if (!ValidName().IsMatch(name))
                {
                    throw new InvalidDataException($"'{name}' cannot name a model: lowercase letters, digits, '.', '_' and '-', 64 at most.");
                }

                found.Add(Read(folder, name, null, identities));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or JsonException or NotSupportedException or UnauthorizedAccessException)
            {
                skipped?.Invoke(folder, e);
            }
        }

        return found;
    }

    /// <summary>Reads one model folder: its family, identity, and the limits and defaults of its <c>renderfarm.json</c> or its family.</summary>
    /// <param name="samplerOverride">The operator's sampler for this model (<see cref="InferenceModelOptions.Scheduler"/>), if any.</param>
    public static ModelFolder Read(string folder, string name, string? samplerOverride = null, IdentityCache? identities = null)
    {
        var family = ModelLoader.ReadFamily(folder);
        var schedulerPath = Path.Combine(folder, "scheduler", "scheduler_config.json");
        var sampler = File.Exists(schedulerPath) ? SchedulerFactory.KeyFor(SchedulerConfig.Load(schedulerPath), samplerOverride) : samplerOverride;
        var settings = ReadSettings(folder);
        var defaults = FamilyDefaults(family, sampler);
        var advertisement = new ModelAdvertisement
        {
            Name = name,
            Family = FamilyName(family),
            Identity = (identities ?? IdentityCache.None).Get(folder, ComputeIdentity),
            SizeMultiple = settings.SizeMultiple ?? defaults.SizeMultiple!.Value,
            MinSize = settings.MinSize ?? defaults.MinSize!.Value,
            MaxSize = settings.MaxSize ?? defaults.MaxSize!.Value,
            DefaultWidth = settings.DefaultWidth ?? defaults.DefaultWidth!.Value,
            DefaultHeight = settings.DefaultHeight ?? defaults.DefaultHeight!.Value,
            DefaultSteps = settings.DefaultSteps ?? defaults.DefaultSteps!.Value,
            DefaultGuidance = settings.DefaultGuidance ?? defaults.DefaultGuidance!.Value,
            Sampler = sampler,
        };
        Check(Path.Combine(folder, SettingsFile), advertisement);
        return new ModelFolder(folder, advertisement);
    }

    /// <summary>
    /// A digest of the folder's files: relative paths, sizes, the whole content of small files (configs, tokenizers)
    /// and three samples (start, middle, end) of large ones (weights). Reading a few hundred KiB per weight file keeps
    /// it cheap on multi-GB models, and leaving modification times out means two copies of one model on two machines
    /// agree, while different weights of the same architecture differ in the samples. The folder's renderfarm.json
    /// counts too: copies that would give the catalog different defaults are different models to it.
    /// </summary>
    public static string ComputeIdentity(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Sample];
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file.Full);
            var length = stream.Length;
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Relative}\n{length}\n"));
            if (length <= SmallFile)
            {
                var whole = new byte[length];
                stream.ReadExactly(whole);
                hash.AppendData(whole);
                continue;
            }

            foreach (var offset in new[] { 0, (length / 2) - (Sample / 2), length - Sample })
            {
                stream.Position = offset;
                stream.ReadExactly(buffer);
                hash.AppendData(buffer);
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private static ModelFolderSettings ReadSettings(string folder)
    {
        var path = Path.Combine(folder, SettingsFile);
        if (!File.Exists(path))
        {
            return new ModelFolderSettings();
        }

        try
        {
            return JsonSerializer.Deserialize<ModelFolderSettings>(File.ReadAllText(path), SettingsJson) ?? new ModelFolderSettings();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static void Check(string path, ModelAdvertisement model)
    {
        string? problem = null;
        if (model.SizeMultiple is < 1 or > 256)
        {
            problem = "SizeMultiple must be between 1 and 256";
        }
        else if (model.MinSize < 8 || model.MaxSize > 8192 || model.MinSize > model.MaxSize)
        {
            problem = "MinSize and MaxSize must be between 8 and 8192, MinSize not above MaxSize";
        }
        else if (!Fits(model.DefaultWidth, model) || !Fits(model.DefaultHeight, model))
        {
            problem = $"the default size {model.DefaultWidth}x{model.DefaultHeight} must lie between MinSize and MaxSize and be a multiple of {model.SizeMultiple}";
        }
        else if (model.DefaultSteps is < 1 or > 1000)
        {
            problem = "DefaultSteps must be between 1 and 1000";
        }
        else if (!double.IsFinite(model.DefaultGuidance) || model.DefaultGuidance is < 0 or > 100)
        {
            problem = "DefaultGuidance must be between 0 and 100";
        }

        if (problem is not null)
        {
            throw new InvalidDataException($"{path}: {problem}.");
        }
    }

    private static bool Fits(int size, ModelAdvertisement model) => size >= model.MinSize && size <= model.MaxSize && size % model.SizeMultiple == 0;

    internal static string FamilyName(PipelineFamily family) => family switch
    {
        PipelineFamily.StableDiffusionXl => "stable-diffusion-xl",
        PipelineFamily.ZImage => "z-image",
        _ => "stable-diffusion",
    };

    /// <summary>
    /// What a family is made for when its folder says nothing: SD 1.x/2.x at 512², SDXL at 1024², Z-Image (Turbo, the
    /// one exported to ONNX) at 1024² in 16-pixel patches with 8 steps and no CFG; an LCM sampler needs few steps.
    /// </summary>
    private static ModelFolderSettings FamilyDefaults(PipelineFamily family, string? sampler)
    {
        var defaults = family switch
        {
            PipelineFamily.StableDiffusionXl => new ModelFolderSettings { SizeMultiple = 8, MinSize = 256, MaxSize = 2048, DefaultWidth = 1024, DefaultHeight = 1024, DefaultSteps = 20, DefaultGuidance = 5 },
            PipelineFamily.ZImage => new ModelFolderSettings { SizeMultiple = 16, MinSize = 256, MaxSize = 2048, DefaultWidth = 1024, DefaultHeight = 1024, DefaultSteps = 8, DefaultGuidance = 0 },
            _ => new ModelFolderSettings { SizeMultiple = 8, MinSize = 64, MaxSize = 2048, DefaultWidth = 512, DefaultHeight = 512, DefaultSteps = 20, DefaultGuidance = 7.5 },
        };
        return sampler == "lcm" ? defaults with { DefaultSteps = 4, DefaultGuidance = 1 } : defaults;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
