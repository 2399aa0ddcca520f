using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Inference.Sessions;

/// <summary>Turns <see cref="InferenceOptions"/> into ONNX Runtime session options for one execution provider.</summary>
internal static class SessionOptionsFactory
{
    public static SessionOptions Create(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SessionOptions session;
        switch (options.ExecutionProvider)
        {
            case "cuda":
            case "tensorrt":
                session = CreateGpu(options);
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

    private static SessionOptions CreateGpu(InferenceOptions options)
    {
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(CudaProviderSettings(options));
            if (options.ExecutionProvider == "tensorrt")
            {
                var session = new SessionOptions();
                try
                {
                    using var trt = new OrtTensorRTProviderOptions();
                    trt.UpdateOptions(new Dictionary<string, string> { ["device_id"] = options.DeviceId.ToString() });
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
                $"Execution provider '{options.ExecutionProvider}' is not available in this build of ONNX Runtime " +
                "(build with -p:OnnxRuntimeGpu=true and run on a machine with CUDA/cuDNN): " + e.Message, e);
        }
    }
}
