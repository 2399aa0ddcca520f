using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Inference;

/// <summary>The ONNX Runtime engine's settings (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IValidatableObject
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

    /// <summary>
    /// Render one image of one step per model when it is preloaded (worker start-up), so the first job does not pay
    /// for the engine's first run. A CPU worker with a large model may turn it off to start sooner.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Bytes of models a worker keeps loaded, each estimated from its ONNX files on disk (external data included); 0
    /// (default) keeps every model it has loaded. Loading one beyond the budget first unloads the least recently used
    /// models that no batch is rendering with.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ModelMemoryBudgetBytes { get; set; }

    /// <summary>
    /// Where text encoders run: <c>same</c> (default) as the rest of the model, or <c>cpu</c>, which leaves the GPU's
    /// memory to the UNet/transformer and VAE (an encoder runs once per image, the denoiser once per step).
    /// <see cref="InferenceModelOptions.TextEncoderDevice"/> overrides it per model.
    /// </summary>
    [RegularExpression("^(same|cpu)$", ErrorMessage = "Inference:TextEncoderDevice is 'same' or 'cpu'.")]
    public string TextEncoderDevice { get; set; } = "same";

    /// <summary>
    /// Runs the denoiser (unet / transformer, once per step) through ONNX Runtime's IO binding: its inputs and output
    /// bound once per batch over buffers reused by every step, fp16/bf16 conversions into those buffers, and the inputs
    /// that do not change copied to the GPU once per batch instead of once per step. Off by default: it renders the same
    /// images, but the win is on a GPU and it has not been measured on one yet.
    /// </summary>
    public bool IoBinding { get; set; }

    /// <summary>
    /// A persistent folder for TensorRT's engine and timing caches (<c>trt_engine_cache_path</c>,
    /// <c>trt_timing_cache_path</c>); a worker that finds its engines there starts in seconds instead of rebuilding them
    /// for minutes. Unset builds engines afresh at every start.
    /// </summary>
    public string? TensorRtCachePath { get; set; }

    /// <summary>Lets TensorRT build fp16 kernels (<c>trt_fp16_enable</c>): about twice as fast on tensor cores.</summary>
    public bool TensorRtFp16 { get; set; }

    /// <summary>
    /// TensorRT optimisation profile, in ONNX Runtime's syntax (<c>sample:1x4x64x64,encoder_hidden_states:1x77x768</c>):
    /// the smallest shapes an engine serves. Set all three profile settings or none.
    /// </summary>
    [RegularExpression(ShapesPattern, ErrorMessage = "Inference:TensorRtProfileMinShapes is input:dims pairs, as sample:1x4x64x64,timestep:1.")]
    public string? TensorRtProfileMinShapes { get; set; }

    /// <summary>The shapes TensorRT tunes the engine for (<c>trt_profile_opt_shapes</c>).</summary>
    [RegularExpression(ShapesPattern, ErrorMessage = "Inference:TensorRtProfileOptShapes is input:dims pairs, as sample:2x4x128x128,timestep:1.")]
    public string? TensorRtProfileOptShapes { get; set; }

    /// <summary>The largest shapes an engine serves (<c>trt_profile_max_shapes</c>).</summary>
    [RegularExpression(ShapesPattern, ErrorMessage = "Inference:TensorRtProfileMaxShapes is input:dims pairs, as sample:8x4x128x128,timestep:1.")]
    public string? TensorRtProfileMaxShapes { get; set; }

    private const string ShapesPattern = @"^[^:,\s]+:\d+(x\d+)*(,[^:,\s]+:\d+(x\d+)*)*$";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string?[] profile = [TensorRtProfileMinShapes, TensorRtProfileOptShapes, TensorRtProfileMaxShapes];
        if (profile.Any(string.IsNullOrEmpty) && !profile.All(string.IsNullOrEmpty))
        {
            yield return new ValidationResult(
                "Inference:TensorRtProfileMinShapes, TensorRtProfileOptShapes and TensorRtProfileMaxShapes are set together or not at all.",
                [nameof(TensorRtProfileMinShapes), nameof(TensorRtProfileOptShapes), nameof(TensorRtProfileMaxShapes)]);
        }
    }
}
