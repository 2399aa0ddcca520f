namespace RenderFarm.Core.Schedules;

/// <summary>What one firing of a schedule knows when it expands its prompt templates.</summary>
/// <param name="LocalTime">The scheduled fire time in the schedule's time zone: what <c>{date}</c>, <c>{time}</c> and <c>{season}</c> read.</param>
/// <param name="Counter">The firing's number, 1 for a schedule's first firing.</param>
/// <param name="Seed">Drives every random pick; the same seed picks the same way.</param>
public sealed record PromptTemplateContext(DateTime LocalTime, long Counter, ulong Seed);
