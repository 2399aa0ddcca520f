using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>The <c>Webhooks</c> section: how jobs' summaries are delivered to the addresses they name.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Attempts before a delivery is given up (failed).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles after each, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take, connecting included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the sender looks for due deliveries when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether webhooks may call loopback, private and link-local addresses. Off: a job's webhook could otherwise make
    /// the coordinator call the farm's own database, broker or cloud metadata service.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}
