using Microsoft.ML.OnnxRuntime;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Tests.Sessions;

public sealed class TextEncoderPlacementTests
{
    private static readonly InferenceModelOptions Model = new() { Name = "m", Path = "/models/m" };

    [Theory]
    [InlineData("cuda", "same", "cuda", "cuda", "cuda")]
    [InlineData("cuda", "cpu", "cpu", "cpu", "cuda")]
    [InlineData("tensorrt", "cpu", "cpu", "cpu", "tensorrt")]
    [InlineData("cpu", "cpu", "cpu", "cpu", "cpu")]
    public void Text_encoders_run_where_TextEncoderDevice_puts_them_and_the_rest_on_the_configured_provider(
        string provider, string textEncoderDevice, string textEncoder, string textEncoder2, string denoiser)
    {
        var options = new InferenceOptions { ExecutionProvider = provider, TextEncoderDevice = textEncoderDevice };

        Assert.Equal(textEncoder, SessionOptionsFactory.ExecutionProviderFor(options, Model, "text_encoder"));
        Assert.Equal(textEncoder2, SessionOptionsFactory.ExecutionProviderFor(options, Model, "text_encoder_2"));
        Assert.Equal(denoiser, SessionOptionsFactory.ExecutionProviderFor(options, Model, "unet"));
        Assert.Equal(denoiser, SessionOptionsFactory.ExecutionProviderFor(options, Model, "transformer"));
        Assert.Equal(denoiser, SessionOptionsFactory.ExecutionProviderFor(options, Model, "vae_decoder"));
    }

    [Fact]
    public void A_model_overrides_the_workers_placement()
    {
        var options = new InferenceOptions { ExecutionProvider = "cuda", TextEncoderDevice = "cpu" };
        var kept = new InferenceModelOptions { Name = "kept", Path = "/models/kept", TextEncoderDevice = "same" };
        var moved = new InferenceModelOptions { Name = "moved", Path = "/models/moved", TextEncoderDevice = "cpu" };

        Assert.Equal("cuda", SessionOptionsFactory.ExecutionProviderFor(options, kept, "text_encoder"));
        Assert.Equal("cpu", SessionOptionsFactory.ExecutionProviderFor(options, moved, "text_encoder"));
    }

    /// <summary>The GPU's options cannot be made here (no CUDA in this build), so a stand-in plays them: what matters is which one each component is opened with.</summary>
    [Fact]
    public void Components_are_opened_with_the_session_options_of_their_provider()
    {
        var options = new InferenceOptions { ExecutionProvider = "cuda", TextEncoderDevice = "cpu" };
        using var gpu = new SessionOptions();
        SessionOptions? cpu = null;
        using var sessions = new ComponentSessionOptions(options, gpu, () => cpu = SessionOptionsFactory.Create(options, "cpu"));

        Assert.Same(gpu, sessions.For(Model, "unet"));
        Assert.Same(gpu, sessions.For(Model, "vae_decoder"));
        Assert.Null(cpu);
        var encoder = sessions.For(Model, "text_encoder");

        Assert.NotNull(cpu);
        Assert.Same(cpu, encoder);
        Assert.Same(cpu, sessions.For(Model, "text_encoder_2"));
    }
}
