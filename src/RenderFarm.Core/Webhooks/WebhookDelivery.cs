namespace RenderFarm.Core.Webhooks;

/// <summary>
/// One notification for a job's webhook, written in the transaction that finished the job (an outbox: a crash cannot
/// lose it) and sent, signed and retried, by the coordinator's webhook sender. The body is fixed when written, so every
/// attempt sends and signs the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>The job's studio (its managers see the deliveries with the job).</summary>
    public Guid? StudioId { get; set; }

    public string Event { get; set; } = "";

    public string Url { get; set; } = "";

    public string Payload { get; set; } = "";

    public WebhookDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>The receiver's HTTP status at the last attempt; null when it could not be reached.</summary>
    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}
