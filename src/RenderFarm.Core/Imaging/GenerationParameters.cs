using RenderFarm.Core.Generation;
using System.Globalization;
using System.Text;

namespace RenderFarm.Core.Imaging;

/// <summary>How an image was made, in the "parameters" text format that the common SD front ends write and read back.</summary>
public sealed record GenerationParameters(
    string Prompt,
    string NegativePrompt,
    int Steps,
    string Sampler,
    double Guidance,
    long Seed,
    int Width,
    int Height,
    string Model,
    string? Noise = null)
{
    public const string TextKey = "parameters";

    /// <example>
    /// a lighthouse at dawn
    /// Negative prompt: blurry
    /// Steps: 8, Sampler: Euler, CFG scale: 0, Seed: 42, Size: 1024x1024, Model: sd-turbo, RNG: CPU
    /// </example>
    /// <remarks>
    /// The noise goes in as A1111's <c>RNG</c> field: <c>CPU</c> is torch's CPU generator (our torch-cpu), which A1111
    /// and ComfyUI read back; the farm's own generator is <c>renderfarm</c>.
    /// </remarks>
    public string ToText()
    {
        var text = new StringBuilder(Prompt);
        if (NegativePrompt.Length > 0)
        {
            text.Append("\nNegative prompt: ").Append(NegativePrompt);
        }

        text.Append(CultureInfo.InvariantCulture, $"\nSteps: {Steps}, Sampler: {Sampler}, CFG scale: {Guidance:0.###}, Seed: {Seed}, Size: {Width}x{Height}, Model: {Model}");
        if (Noise is not null)
        {
            text.Append(", RNG: ").Append(Noise == NoiseSources.TorchCpu ? "CPU" : Noise);
        }

        return text.ToString();
    }
}
