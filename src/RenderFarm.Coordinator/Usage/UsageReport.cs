namespace RenderFarm.Coordinator.Usage;

public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, string GroupBy, string Currency, IReadOnlyList<UsageRow> Rows, UsageRow Total);
