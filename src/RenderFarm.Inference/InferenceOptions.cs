using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Inference;

/// <summary>The ONNX Runtime engine's settings (section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Model folders named one by one; with <see cref="ModelsRoot"/> as well, these win on a name both have.</summary>
    public List<InferenceModelOptions> Models { get; set; } = [];

    /// <summary>
    /// A folder of model folders, each named by its folder: adding a model to the worker is putting its folder here. Read
    /// at start and again every <c>Worker:ModelScanInterval</c>.
    /// </summary>
    public string? ModelsRoot { get; set; }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>tensorrt</c> (TensorRT falls back to CUDA, then CPU, per node).</summary>
    [Required, RegularExpression("^(cpu|cuda|tensorrt)$", ErrorMessage = "Inference:ExecutionProvider is cpu, cuda or tensorrt.")]
    public string ExecutionProvider { get; set; } = "cpu";

    [Range(0, 64)]
    public int DeviceId { get; set; }

    /// <summary>CUDA arena limit in bytes; 0 leaves ONNX Runtime's default (no limit).</summary>
    [Range(0, long.MaxValue)]
    public long GpuMemoryLimitBytes { get; set; }

    /// <summary>Whether the CPU allocator keeps an arena; off trades speed for a smaller resident set.</summary>
    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>CUDA arena growth: <c>kNextPowerOfTwo</c> (fast, wasteful) or <c>kSameAsRequested</c> (tight).</summary>
    [RegularExpression("^(kNextPowerOfTwo|kSameAsRequested)$")]
    public string ArenaExtendStrategy { get; set; } = "kSameAsRequested";

    /// <summary>
    /// cuDNN convolution algorithm choice: <c>EXHAUSTIVE</c> benchmarks every algorithm once per shape (slow first
    /// image, fastest after), <c>HEURISTIC</c> asks cuDNN's heuristics, <c>DEFAULT</c> takes the first algorithm.
    /// </summary>
    [RegularExpression("^(EXHAUSTIVE|HEURISTIC|DEFAULT)$", ErrorMessage = "Inference:CudnnConvAlgoSearch is EXHAUSTIVE, HEURISTIC or DEFAULT.")]
    public string CudnnConvAlgoSearch { get; set; } = "EXHAUSTIVE";

    /// <summary>Lets the CUDA provider run convolutions in NHWC layout, which tensor cores favour on some models.</summary>
    public bool PreferNhwc { get; set; }

    /// <summary>Threads per operator; 0 lets ONNX Runtime use one per physical core.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's operator threads spin between operators (its default). Spinning buys a little latency
    /// on a machine of its own; where the farm's own work shares the CPU with a CPU engine (the embedded mode) the
    /// spinning threads starve it, so they should sleep instead.
    /// </summary>
    public bool AllowSpinning { get; set; } = true;
}
