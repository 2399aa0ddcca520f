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
    string Model)
{
    public const string TextKey = "parameters";

    /// <example>
    /// a lighthouse at dawn
    /// Negative prompt: blurry
    /// Steps: 8, Sampler: Euler, CFG scale: 0, Seed: 42, Size: 1024x1024, Model: sd-turbo
    /// </example>
    public string ToText()
    {
        var text = new StringBuilder(Prompt);
        if (NegativePrompt.Length > 0)
        {
            text.Append("\nNegative prompt: ").Append(NegativePrompt);
        }

        text.Append(CultureInfo.InvariantCulture, $"\nSteps: {Steps}, Sampler: {Sampler}, CFG scale: {Guidance:0.###}, Seed: {Seed}, Size: {Width}x{Height}, Model: {Model}");
        return text.ToString();
    }
}
