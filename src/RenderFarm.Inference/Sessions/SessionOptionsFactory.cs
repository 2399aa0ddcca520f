using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Inference.Sessions;

/// <summary>Turns <see cref="InferenceOptions"/> into ONNX Runtime session options for one execution provider.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>Text encoders' folders: <c>text_encoder</c>, and SDXL's <c>text_encoder_2</c>.</summary>
    private const string TextEncoderPrefix = "text_encoder";

    /// <summary>Session options for <paramref name="provider"/> (<c>cpu</c>, <c>cuda</c> or <c>tensorrt</c>) with the rest of <paramref name="options"/>.</summary>
    public static SessionOptions Create(InferenceOptions options, string provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        SessionOptions session;
        switch (provider)
        {
            case "cuda":
            case "tensorrt":
                session = CreateGpu(options, provider);
                break;
            default:
                session = new SessionOptions();
                break;
        }

        session.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        session.EnableCpuMemArena = options.EnableCpuMemArena;
        if (options.IntraOpThreads > 0)
        {
            session.IntraOpNumThreads = options.IntraOpThreads;
        }

        if (!options.AllowSpinning)
        {
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            session.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        }

        return session;
    }

    /// <summary>
    /// The provider a model's component (its folder's name: <c>text_encoder</c>, <c>unet</c>, <c>vae_decoder</c>...)
    /// runs on: the configured one, except text encoders placed on the CPU by the model's or the worker's
    /// <c>TextEncoderDevice</c>.
    /// </summary>
    public static string ExecutionProviderFor(InferenceOptions options, InferenceModelOptions model, string component)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        var textEncoderDevice = string.IsNullOrEmpty(model.TextEncoderDevice) ? options.TextEncoderDevice : model.TextEncoderDevice;
        return component.StartsWith(TextEncoderPrefix, StringComparison.Ordinal) && textEncoderDevice == "cpu" ? "cpu" : options.ExecutionProvider;
    }

    public static string DeviceName(InferenceOptions options) =>
        options.ExecutionProvider == "cpu" ? "cpu" : $"{options.ExecutionProvider}:{options.DeviceId}";

    /// <summary>The CUDA execution provider's options (ONNX Runtime's own key names) for these settings.</summary>
    public static Dictionary<string, string> CudaProviderSettings(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["arena_extend_strategy"] = options.ArenaExtendStrategy,
            // Exhaustive search (the default) picks the fastest conv kernels once per shape; diffusion runs the same shapes thousands of times.
            ["cudnn_conv_algo_search"] = options.CudnnConvAlgoSearch,
            ["prefer_nhwc"] = options.PreferNhwc ? "1" : "0",
        };
        if (options.GpuMemoryLimitBytes > 0)
        {
            settings["gpu_mem_limit"] = options.GpuMemoryLimitBytes.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>
    /// The TensorRT execution provider's options (ONNX Runtime's own key names) for these settings: engine and timing
    /// caches in <see cref="InferenceOptions.TensorRtCachePath"/>, fp16 and the optimisation profile.
    /// </summary>
    public static Dictionary<string, string> TensorRtProviderSettings(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = options.TensorRtFp16 ? "1" : "0",
        };
        if (!string.IsNullOrEmpty(options.TensorRtCachePath))
        {
            settings["trt_engine_cache_enable"] = "1";
            settings["trt_engine_cache_path"] = options.TensorRtCachePath;
            settings["trt_timing_cache_enable"] = "1";
            settings["trt_timing_cache_path"] = options.TensorRtCachePath;
        }

        if (!string.IsNullOrEmpty(options.TensorRtProfileMinShapes))
        {
            settings["trt_profile_min_shapes"] = options.TensorRtProfileMinShapes;
            settings["trt_profile_opt_shapes"] = options.TensorRtProfileOptShapes!;
            settings["trt_profile_max_shapes"] = options.TensorRtProfileMaxShapes!;
        }

        return settings;
    }

    private static SessionOptions CreateGpu(InferenceOptions options, string provider)
    {
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(CudaProviderSettings(options));
            if (provider == "tensorrt")
            {
                var session = new SessionOptions();
                try
                {
                    using var trt = new OrtTensorRTProviderOptions();
                    trt.UpdateOptions(TensorRtProviderSettings(options));
                    session.AppendExecutionProvider_Tensorrt(trt);
                    session.AppendExecutionProvider_CUDA(cuda);
                    return session;
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }

            return SessionOptions.MakeSessionOptionWithCudaProvider(cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new InvalidOperationException(
                $"Execution provider '{provider}' is not available in this build of ONNX Runtime " +
                "(build with -p:OnnxRuntimeGpu=true and run on a machine with CUDA/cuDNN): " + e.Message, e);
        }
    }
}
