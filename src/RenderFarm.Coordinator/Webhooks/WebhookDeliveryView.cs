namespace RenderFarm.Coordinator.Webhooks;

public sealed record WebhookDeliveryView(
    Guid Id,
    string Event,
    string Url,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt);
