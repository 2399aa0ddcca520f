using System.Globalization;
using RenderFarm.Contracts;

namespace RenderFarm.Worker.Consumers;

/// <summary>Messages with the same key can share one engine call.</summary>
public static class RenderImageBatchKey
{
    public static string Of(RenderImage message) =>
        string.Create(CultureInfo.InvariantCulture, $"{message.Model}|{message.Width}x{message.Height}|{message.Steps}|{message.Guidance:R}|{message.Noise}");
}
