namespace RenderFarm.Coordinator.Farm;

/// <summary>The state of the farm at <see cref="At"/>: who works, what waits, and what got done over the last day.</summary>
public sealed record FarmView(
    DateTimeOffset At,
    IReadOnlyList<FarmWorkerView> Workers,
    IReadOnlyList<QueueDepthView> Queue,
    IReadOnlyList<HourlyCountView> ImagesPerHour,
    IReadOnlyList<UnservedModelView> Unserved);
