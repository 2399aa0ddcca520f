using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Inference.Sessions;

/// <summary>
/// The session options each component of a model is opened with: the configured provider's, or the CPU's for a text
/// encoder placed there (see <see cref="SessionOptionsFactory.ExecutionProviderFor"/>). The CPU's are made only when a
/// component asks for them.
/// </summary>
internal sealed class ComponentSessionOptions : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly SessionOptions _configured;
    private readonly Lazy<SessionOptions> _cpu;

    public ComponentSessionOptions(InferenceOptions options)
        : this(options, SessionOptionsFactory.Create(options, options.ExecutionProvider), () => SessionOptionsFactory.Create(options, "cpu"))
    {
    }

    /// <summary>With given options for the configured provider and the CPU, so a machine without a GPU can see which one a component gets.</summary>
    internal ComponentSessionOptions(InferenceOptions options, SessionOptions configured, Func<SessionOptions> cpu)
    {
        _options = options;
        _configured = configured;
        _cpu = new Lazy<SessionOptions>(cpu, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <param name="component">The component's folder in the model: <c>text_encoder</c>, <c>unet</c>, <c>vae_decoder</c>...</param>
    public SessionOptions For(InferenceModelOptions model, string component) =>
        SessionOptionsFactory.ExecutionProviderFor(_options, model, component) == _options.ExecutionProvider ? _configured : _cpu.Value;

    public void Dispose()
    {
        _configured.Dispose();
        if (_cpu.IsValueCreated)
        {
            _cpu.Value.Dispose();
        }
    }
}
