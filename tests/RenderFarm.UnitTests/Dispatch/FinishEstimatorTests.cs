using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Jobs;

namespace RenderFarm.UnitTests.Dispatch;

public sealed class FinishEstimatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Jobs_of_a_tier_share_the_model_and_higher_tiers_go_first()
    {
        var big = new JobBacklog(Guid.NewGuid(), "m", JobPriority.Normal, 1000, null);
        var small = new JobBacklog(Guid.NewGuid(), "m", JobPriority.Normal, 100, Now.AddSeconds(15));
        var urgent = new JobBacklog(Guid.NewGuid(), "m", JobPriority.High, 50, null);
        var other = new JobBacklog(Guid.NewGuid(), "other", JobPriority.Normal, 10, null);

        var estimates = FinishEstimator.Estimate([big, small, urgent, other], new Dictionary<string, double> { ["m"] = 10 }, Now);

        Assert.Equal(Now.AddSeconds(5), estimates[urgent.JobId].Eta);
        // The small job needs its 100 while the big one gets as many: 50 + 200 images at 10/s.
        Assert.Equal(Now.AddSeconds(25), estimates[small.JobId].Eta);
        Assert.Equal(Now.AddSeconds(115), estimates[big.JobId].Eta);
        Assert.Null(estimates[other.JobId].Eta);

        // 25 s shared is past its 15 s deadline; alone it would take 10 s, so it can still make it if served first.
        Assert.Equal((true, false), (estimates[small.JobId].AtRisk, estimates[small.JobId].Infeasible));
        Assert.False(estimates[big.JobId].AtRisk);
    }

    [Fact]
    public void A_job_that_cannot_finish_even_alone_is_infeasible()
    {
        var job = new JobBacklog(Guid.NewGuid(), "m", JobPriority.Low, 100, Now.AddSeconds(5));
        var estimate = FinishEstimator.Estimate([job], new Dictionary<string, double> { ["m"] = 10 }, Now)[job.JobId];
        Assert.Equal((Now.AddSeconds(10), true, true), (estimate.Eta, estimate.AtRisk, estimate.Infeasible));
    }

    [Fact]
    public void Jobs_at_risk_are_served_first_in_their_tier_earliest_deadline_first()
    {
        var later = new JobDemand(Guid.NewGuid(), JobPriority.Normal, 100, 0, null, Now) { AtRiskDeadline = Now.AddMinutes(10) };
        var sooner = new JobDemand(Guid.NewGuid(), JobPriority.Normal, 100, 0, null, Now) { AtRiskDeadline = Now.AddMinutes(5) };
        var relaxed = new JobDemand(Guid.NewGuid(), JobPriority.Normal, 100, 0, Now.AddHours(-1), Now.AddHours(-1));

        // Each at-risk job takes what its window allows, earliest deadline first; the relaxed one gets what is left.
        var plan = FairDispatchPlanner.Plan([relaxed, later, sooner], capacity: 12, windowPerJob: 5, unit: 4);

        Assert.Equal([(sooner.JobId, 5), (later.JobId, 5), (relaxed.JobId, 2)], plan);
    }

    [Fact]
    public void The_pace_counts_the_time_images_were_in_flight_not_a_pause_between_jobs()
    {
        // Ten images a second, each 0.4 s in flight; then nothing for 5 s; then ten a second again.
        var first = Enumerable.Range(0, 20).Select(k => Rendered(0.1 * k, 0.4));
        var second = Enumerable.Range(0, 20).Select(k => Rendered(1.9 + 5 + 0.4 + (0.1 * k), 0.4));

        // 39 finishes over 1.9 s of the first job, the second's first 0.4 s in flight, and its 1.9 s.
        Assert.Equal(39 / 4.2, FinishEstimator.ImagesPerSecond([.. first, .. second])!.Value, 6);
        Assert.Equal(10, FinishEstimator.ImagesPerSecond([.. first])!.Value, 6);
    }

    [Fact]
    public void Images_finished_in_batches_give_the_batches_pace()
    {
        // Batches of four every 0.4 s: ten images a second (counting from the first finish, its whole batch is before it).
        var batches = Enumerable.Range(1, 5).SelectMany(b => Enumerable.Repeat(Rendered(0.4 * b, 0.8), 4));

        Assert.Equal(10, FinishEstimator.ImagesPerSecond([.. batches])!.Value, 6);
    }

    [Fact]
    public void Images_that_all_finished_at_once_give_no_pace()
    {
        Assert.Null(FinishEstimator.ImagesPerSecond([Rendered(1, 0.4), Rendered(1, 0.2)]));
        Assert.Null(FinishEstimator.ImagesPerSecond([Rendered(1, 0.4)]));
    }

    private static (DateTimeOffset, DateTimeOffset) Rendered(double finishedSeconds, double inFlightSeconds) =>
        (Now.AddSeconds(finishedSeconds - inFlightSeconds), Now.AddSeconds(finishedSeconds));
}
