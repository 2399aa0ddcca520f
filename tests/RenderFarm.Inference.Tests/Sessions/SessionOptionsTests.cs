using Microsoft.Extensions.Options;

namespace RenderFarm.Inference.Tests.Sessions;

public sealed class SessionOptionsTests
{
    [Theory]
    [InlineData("cuda")]
    [InlineData("tensorrt")]
    public void A_gpu_provider_missing_from_this_build_fails_with_a_clear_message(string provider)
    {
        // The test project builds against the CPU package, which has no CUDA or TensorRT provider.
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = "m", Path = TestModels.Fixture("tiny-sd") }],
            ExecutionProvider = provider,
        })));

        Assert.Contains(provider, e.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxRuntimeGpu=true", e.Message, StringComparison.Ordinal);
    }
}
