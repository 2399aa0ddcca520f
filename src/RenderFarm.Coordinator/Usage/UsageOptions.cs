using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Usage;

/// <summary>
/// The <c>Usage</c> section: what an hour of engine time costs per device class. A device ("cuda:0 NVIDIA H100 80GB
/// HBM3", "cpu") is priced by the longest key it starts with, ignoring case (<c>cuda:0 NVIDIA H100</c>, <c>cuda</c>,
/// <c>cpu</c>), else by <see cref="DefaultPricePerGpuHour"/>.
/// </summary>
public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    public Dictionary<string, decimal> PricePerGpuHour { get; set; } = [];

    [Range(0, 1_000_000)]
    public decimal DefaultPricePerGpuHour { get; set; }

    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "Usage:Currency is an ISO 4217 code such as USD or EUR.")]
    public string Currency { get; set; } = "USD";

    public decimal PriceFor(string? device)
    {
        var match = PricePerGpuHour
            .Where(p => device is not null && device.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => (decimal?)p.Value)
            .FirstOrDefault();
        return match ?? DefaultPricePerGpuHour;
    }

    public decimal Cost(string? device, long engineMilliseconds) =>
        Math.Round(PriceFor(device) * engineMilliseconds / 3_600_000m, 6);
}
