using System.Collections.Concurrent;
using Quartz;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>
/// A Quartz listener shared by several coordinator hosts: counts how often schedule firings ran, per scheduled time
/// and per scheduler instance, so a test sees what Quartz did, not only the jobs that came out of it.
/// </summary>
public sealed class FiringCounter : IJobListener
{
    private readonly ConcurrentDictionary<DateTimeOffset, int> _byTime = new();
    private readonly ConcurrentDictionary<string, int> _byInstance = new();

    public string Name => nameof(FiringCounter);

    public IReadOnlyDictionary<DateTimeOffset, int> ByScheduledTime => _byTime;

    public IReadOnlyDictionary<string, int> ByInstance => _byInstance;

    public Task JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        if (context.JobDetail.Key.Group == "schedules" && context.ScheduledFireTimeUtc is { } scheduled)
        {
            _byTime.AddOrUpdate(scheduled, 1, (_, n) => n + 1);
            _byInstance.AddOrUpdate(context.Scheduler.SchedulerInstanceId, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}
