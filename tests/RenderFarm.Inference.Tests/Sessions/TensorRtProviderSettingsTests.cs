using System.ComponentModel.DataAnnotations;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Tests.Sessions;

/// <summary>The TensorRT provider cannot run here (no GPU), so the options handed to it are checked instead.</summary>
public sealed class TensorRtProviderSettingsTests
{
    [Fact]
    public void Defaults_build_engines_afresh_in_fp32_without_caches_or_profiles()
    {
        var settings = SessionOptionsFactory.TensorRtProviderSettings(new InferenceOptions { ExecutionProvider = "tensorrt" });

        Assert.Equal(new Dictionary<string, string> { ["device_id"] = "0", ["trt_fp16_enable"] = "0" }, settings);
    }

    [Fact]
    public void Caches_fp16_and_the_shape_profile_reach_the_provider_under_onnx_runtime_key_names()
    {
        var settings = SessionOptionsFactory.TensorRtProviderSettings(new InferenceOptions
        {
            ExecutionProvider = "tensorrt",
            DeviceId = 1,
            TensorRtCachePath = "/var/cache/renderfarm/tensorrt",
            TensorRtFp16 = true,
            TensorRtProfileMinShapes = "sample:1x4x64x64",
            TensorRtProfileOptShapes = "sample:2x4x128x128",
            TensorRtProfileMaxShapes = "sample:8x4x128x128",
        });

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "1",
                ["trt_fp16_enable"] = "1",
                ["trt_engine_cache_enable"] = "1",
                ["trt_engine_cache_path"] = "/var/cache/renderfarm/tensorrt",
                ["trt_timing_cache_enable"] = "1",
                ["trt_timing_cache_path"] = "/var/cache/renderfarm/tensorrt",
                ["trt_profile_min_shapes"] = "sample:1x4x64x64",
                ["trt_profile_opt_shapes"] = "sample:2x4x128x128",
                ["trt_profile_max_shapes"] = "sample:8x4x128x128",
            },
            settings);
    }

    [Theory]
    [InlineData("sample:1x4x64x64", null, null, "set together")]
    [InlineData("sample 1x4x64x64", "sample:1x4x64x64", "sample:1x4x64x64", "TensorRtProfileMinShapes")]
    [InlineData("sample:1x4x64x64", "sample:2x4x", "sample:1x4x64x64", "TensorRtProfileOptShapes")]
    public void A_malformed_or_partial_profile_is_refused_by_name(string? min, string? opt, string? max, string named)
    {
        var options = new InferenceOptions { TensorRtProfileMinShapes = min, TensorRtProfileOptShapes = opt, TensorRtProfileMaxShapes = max };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.ErrorMessage!.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void A_profile_of_several_inputs_is_accepted()
    {
        var options = new InferenceOptions
        {
            TensorRtProfileMinShapes = "sample:1x4x64x64,timestep:1,encoder_hidden_states:1x77x768",
            TensorRtProfileOptShapes = "sample:2x4x64x64,timestep:1,encoder_hidden_states:2x77x768",
            TensorRtProfileMaxShapes = "sample:8x4x64x64,timestep:1,encoder_hidden_states:8x77x768",
        };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
