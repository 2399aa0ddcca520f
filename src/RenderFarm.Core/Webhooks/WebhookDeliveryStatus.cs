namespace RenderFarm.Core.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Not delivered yet; tried again at its next attempt time.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed; given up.</summary>
    Failed,
}
