using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>A live progress bar for a job until it finishes; Ctrl+C cancels the job, not just the display.</summary>
internal static class JobProgressDisplay
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<JobView> FollowAsync(IAnsiConsole console, IFarmClient farm, JobAccepted accepted, CancellationToken cancellationToken)
    {
        JobView job = await farm.GetJobAsync(accepted.Id, CancellationToken.None);
        try
        {
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask($"job {accepted.Id.ToString("N")[..8]}", maxValue: accepted.ImageCount);
                    while (true)
                    {
                        job = await farm.GetJobAsync(accepted.Id, cancellationToken);
                        bar.Value = job.Completed + job.Failed;
                        bar.Description = $"job {accepted.Id.ToString("N")[..8]} {job.Completed}/{job.Total}" + (job.Failed > 0 ? $" ({job.Failed} failed)" : "")
                            + (job.EngineStep is { } step ? $" step {step.Step}/{step.TotalSteps}" : "")
                            + (job.Reused > 0 ? $" ({job.Reused} reused)" : "")
                            + (job.AtRisk ? $" [red]at risk: ETA {job.Eta:HH:mm:ss} after deadline {job.Deadline:HH:mm:ss}[/]" : "");
                        if (JobStatusNames.TryParseStatus(job.Status, out var status) && status.IsFinished())
                        {
                            bar.StopTask();
                            return;
                        }

                        await farm.WaitForNewsAsync(job, PollInterval, cancellationToken);
                    }
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await farm.CancelAsync(accepted.Id, CancellationToken.None);
            job = await farm.GetJobAsync(accepted.Id, CancellationToken.None);
        }

        return job;
    }

    /// <summary>The same wait without a display, for output that scripts read (<c>--json</c>).</summary>
    public static async Task<JobView> WaitAsync(IFarmClient farm, JobAccepted accepted, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var job = await farm.GetJobAsync(accepted.Id, cancellationToken);
                if (JobStatusNames.TryParseStatus(job.Status, out var status) && status.IsFinished())
                {
                    return job;
                }

                await farm.WaitForNewsAsync(job, PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await farm.CancelAsync(accepted.Id, CancellationToken.None);
            return await farm.GetJobAsync(accepted.Id, CancellationToken.None);
        }
    }
}
