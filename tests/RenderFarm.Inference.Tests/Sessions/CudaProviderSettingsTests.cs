using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Tests.Sessions;

public sealed class CudaProviderSettingsTests
{
    [Fact]
    public void Defaults_search_cudnn_exhaustively_in_a_tight_arena_without_a_limit()
    {
        var settings = SessionOptionsFactory.CudaProviderSettings(new InferenceOptions());

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "0",
                ["arena_extend_strategy"] = "kSameAsRequested",
                ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
                ["prefer_nhwc"] = "0",
            },
            settings);
    }

    [Fact]
    public void Configured_values_reach_the_provider_under_onnx_runtime_key_names()
    {
        var settings = SessionOptionsFactory.CudaProviderSettings(new InferenceOptions
        {
            DeviceId = 3,
            ArenaExtendStrategy = "kNextPowerOfTwo",
            GpuMemoryLimitBytes = 12_000_000_000,
            CudnnConvAlgoSearch = "HEURISTIC",
            PreferNhwc = true,
        });

        Assert.Equal("3", settings["device_id"]);
        Assert.Equal("kNextPowerOfTwo", settings["arena_extend_strategy"]);
        Assert.Equal("12000000000", settings["gpu_mem_limit"]);
        Assert.Equal("HEURISTIC", settings["cudnn_conv_algo_search"]);
        Assert.Equal("1", settings["prefer_nhwc"]);
    }
}
