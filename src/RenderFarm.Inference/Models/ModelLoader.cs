using System.Text.Json.Nodes;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;
using RenderFarm.Inference.Schedulers;
using RenderFarm.Inference.Sessions;
using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Models;

/// <summary>Reads a diffusers/Optimum ONNX folder and builds its pipeline, failing early with the file at fault.</summary>
internal static class ModelLoader
{
    /// <summary>A model folder's own catalog entry (sizes and sampling it is meant for); the engine reads its Noise.</summary>
    private const string CatalogEntryFile = "renderfarm.json";

    private static readonly Dictionary<string, PipelineFamily> Families = new(StringComparer.Ordinal)
    {
        ["StableDiffusionPipeline"] = PipelineFamily.StableDiffusion,
        ["OnnxStableDiffusionPipeline"] = PipelineFamily.StableDiffusion,
        ["ORTStableDiffusionPipeline"] = PipelineFamily.StableDiffusion,
        ["LatentConsistencyModelPipeline"] = PipelineFamily.StableDiffusion,
        ["ORTLatentConsistencyModelPipeline"] = PipelineFamily.StableDiffusion,
        ["StableDiffusionXLPipeline"] = PipelineFamily.StableDiffusionXl,
        ["ORTStableDiffusionXLPipeline"] = PipelineFamily.StableDiffusionXl,
        ["ZImagePipeline"] = PipelineFamily.ZImage,
    };

    public static PipelineFamily ReadFamily(string folder)
    {
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = ReadJson(indexPath);
        var className = (string?)index["_class_name"]
            ?? throw new InvalidDataException($"{indexPath}: no _class_name.");
        return Families.TryGetValue(className, out var family)
            ? family
            : throw new NotSupportedException($"{indexPath}: pipeline class '{className}' is not supported (supported: {string.Join(", ", Families.Keys)}).");
    }

    /// <param name="ioBinding">Runs the denoiser through IO binding (<see cref="InferenceOptions.IoBinding"/>).</param>
    public static IDiffusionPipeline Load(InferenceModelOptions model, ComponentSessionOptions sessionOptions, bool ioBinding)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = model.Path;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Model folder for '{model.Name}' not found: {folder}");
        }

        var family = ReadFamily(folder);
        var index = ReadJson(Path.Combine(folder, "model_index.json"));
        var schedulerConfig = SchedulerConfig.Load(Path.Combine(folder, "scheduler", "scheduler_config.json"));
        var schedulerKey = SchedulerFactory.KeyFor(schedulerConfig, model.Scheduler);
        var noise = DefaultNoise(model);
        // Fail on missing files before spending time on sessions.
        var denoiser = family == PipelineFamily.ZImage ? "transformer" : "unet";
        var required = new List<string> { "text_encoder", denoiser, "vae_decoder" };
        if (family == PipelineFamily.StableDiffusionXl)
        {
            required.Add("text_encoder_2");
        }

        foreach (var part in required)
        {
            var file = Path.Combine(folder, part, "model.onnx");
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"Model '{model.Name}' is missing {file}.", file);
            }
        }

        var disposables = new List<IDisposable>();
        try
        {
            OnnxModel Open(string part)
            {
                var m = new OnnxModel(Path.Combine(folder, part, "model.onnx"), sessionOptions.For(model, part));
                disposables.Add(m);
                return m;
            }

            switch (family)
            {
                case PipelineFamily.ZImage:
                    {
                        var tokenizer = QwenTokenizer.Load(Path.Combine(folder, "tokenizer"));
                        var vae = new VaeDecoder(Open("vae_decoder"), VaeScaling(folder, 0.3611), VaeShift(folder, 0.1159));
                        return new ZImagePipeline(tokenizer, Open("text_encoder"), Open(denoiser), vae, schedulerConfig, schedulerKey, noise, ioBinding);
                    }

                case PipelineFamily.StableDiffusionXl:
                    {
                        var text = new SdxlTextConditioner(
                            ClipTokenizer.Load(Path.Combine(folder, "tokenizer")), Open("text_encoder"),
                            ClipTokenizer.Load(Path.Combine(folder, "tokenizer_2")), Open("text_encoder_2"),
                            (bool?)index["force_zeros_for_empty_prompt"] ?? true);
                        var vae = new VaeDecoder(Open("vae_decoder"), VaeScaling(folder, 0.13025), 0);
                        return new StableDiffusionPipeline(text, Open(denoiser), vae, schedulerConfig, schedulerKey, noise, ioBinding, xl: true);
                    }

                default:
                    {
                        var text = new ClipTextConditioner(ClipTokenizer.Load(Path.Combine(folder, "tokenizer")), Open("text_encoder"));
                        var vae = new VaeDecoder(Open("vae_decoder"), VaeScaling(folder, 0.18215), 0);
                        return new StableDiffusionPipeline(text, Open(denoiser), vae, schedulerConfig, schedulerKey, noise, ioBinding, xl: false, ConfigInt(folder, "unet", "time_cond_proj_dim"));
                    }
            }
        }
        catch
        {
            foreach (var d in disposables)
            {
                d.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// What a model takes in memory, estimated from its files on disk: every file of each component folder that holds
    /// a <c>model.onnx</c>, so external data (<c>model.onnx_data</c> or however the export named it) is counted too.
    /// </summary>
    public static long EstimateBytes(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder)
                .Where(component => File.Exists(Path.Combine(component, "model.onnx")))
                .SelectMany(component => new DirectoryInfo(component).EnumerateFiles())
                .Sum(file => file.Length)
            : 0;

    /// <summary>
    /// The configured noise, else the folder's renderfarm.json <c>Noise</c>, else torch-cpu: every family here is one
    /// that diffusers, ComfyUI and A1111 render from torch's CPU generator, so a seed means the same image there.
    /// </summary>
    internal static string DefaultNoise(InferenceModelOptions model)
    {
        if (!string.IsNullOrEmpty(model.Noise))
        {
            return model.Noise;
        }

        var entry = Path.Combine(model.Path, CatalogEntryFile);
        if (File.Exists(entry) && ReadJson(entry)["Noise"] is { } node)
        {
            var name = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            return NoiseSources.IsKnown(name)
                ? name!
                : throw new InvalidDataException($"{entry}: Noise must be one of {string.Join(", ", NoiseSources.All)} (got {node.ToJsonString()}).");
        }

        return NoiseSources.TorchCpu;
    }

    private static double VaeScaling(string folder, double fallback) => VaeConfigNumber(folder, "scaling_factor") ?? fallback;

    private static double VaeShift(string folder, double fallback) => VaeConfigNumber(folder, "shift_factor") ?? fallback;

    /// <summary>Optimum writes the VAE config next to vae_decoder/model.onnx; a diffusers folder keeps it in vae/.</summary>
    private static double? VaeConfigNumber(string folder, string key)
    {
        foreach (var part in new[] { "vae_decoder", "vae" })
        {
            var path = Path.Combine(folder, part, "config.json");
            if (File.Exists(path) && ReadJson(path)[key] is JsonValue v && v.TryGetValue<double>(out var x))
            {
                return x;
            }
        }

        return null;
    }

    private static int? ConfigInt(string folder, string part, string key)
    {
        var path = Path.Combine(folder, part, "config.json");
        return File.Exists(path) && ReadJson(path)[key] is JsonValue v && v.TryGetValue<int>(out var x) ? x : null;
    }

    private static JsonObject ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Required file not found: {path}", path);
        }

        return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object.");
    }
}
