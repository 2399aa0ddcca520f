namespace RenderFarm.Coordinator.Quotas;

/// <summary>A submission over a studio's quota; nothing was written. HTTP turns it into 429 (see <see cref="QuotaExceededHandler"/>).</summary>
public sealed class QuotaExceededException(QuotaRefusal refusal) : Exception(refusal.Describe())
{
    public QuotaRefusal Refusal { get; } = refusal;
}
