using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Jobs;

namespace RenderFarm.UnitTests.Dispatch;

public sealed class FairDispatchPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    private static JobDemand Job(int id, JobPriority priority, int pending, int inFlight = 0, int? lastDispatchedMinute = null, int createdMinute = 0) =>
        new(new Guid(id, 0, 0, new byte[8]), priority, pending, inFlight,
            lastDispatchedMinute is { } m ? T0.AddMinutes(m) : null, T0.AddMinutes(createdMinute));

    private static Dictionary<int, int> PlanById(IEnumerable<JobDemand> demands, int capacity, int window) =>
        FairDispatchPlanner.Plan(demands, capacity, window).ToDictionary(p => BitConverter.ToInt32(p.JobId.ToByteArray(), 0), p => p.Count);

    [Fact]
    public void Small_job_behind_a_huge_one_gets_all_its_images_into_the_next_dispatch()
    {
        var huge = Job(1, JobPriority.Normal, pending: 10_000, inFlight: 0, lastDispatchedMinute: 5, createdMinute: 0);
        var small = Job(2, JobPriority.Normal, pending: 4, createdMinute: 6);

        var plan = PlanById([huge, small], capacity: 8, window: 32);

        Assert.Equal(4, plan[2]);
        Assert.Equal(4, plan[1]);
    }

    [Fact]
    public void Jobs_of_one_priority_share_capacity_round_robin()
    {
        var plan = PlanById([Job(1, JobPriority.Normal, 100), Job(2, JobPriority.Normal, 100), Job(3, JobPriority.Normal, 100)], capacity: 10, window: 100);

        Assert.Equal(10, plan.Values.Sum());
        Assert.All(plan.Values, count => Assert.InRange(count, 3, 4));
    }

    [Fact]
    public void Round_robin_starts_with_the_job_served_longest_ago()
    {
        var recent = Job(1, JobPriority.Normal, 100, lastDispatchedMinute: 9);
        var longAgo = Job(2, JobPriority.Normal, 100, lastDispatchedMinute: 1);

        var plan = FairDispatchPlanner.Plan([recent, longAgo], capacity: 1, windowPerJob: 10);

        Assert.Equal(longAgo.JobId, Assert.Single(plan).JobId);
    }

    [Fact]
    public void Higher_priority_is_served_before_lower_and_lower_gets_only_what_is_left()
    {
        var low = Job(1, JobPriority.Low, 100, createdMinute: 0);
        var normal = Job(2, JobPriority.Normal, 3, createdMinute: 1);
        var high = Job(3, JobPriority.High, 4, createdMinute: 2);

        var plan = FairDispatchPlanner.Plan([low, normal, high], capacity: 9, windowPerJob: 50);

        Assert.Equal([(high.JobId, 4), (normal.JobId, 3), (low.JobId, 2)], plan);
    }

    [Fact]
    public void No_job_exceeds_its_window_even_with_spare_capacity()
    {
        var plan = PlanById([Job(1, JobPriority.Normal, 1000, inFlight: 5), Job(2, JobPriority.Normal, 1000, inFlight: 8)], capacity: 100, window: 8);

        Assert.Equal(3, plan[1]);
        Assert.False(plan.ContainsKey(2));
    }

    [Fact]
    public void Nothing_is_planned_without_capacity_or_pending_images()
    {
        Assert.Empty(FairDispatchPlanner.Plan([Job(1, JobPriority.High, 10)], capacity: 0, windowPerJob: 8));
        Assert.Empty(FairDispatchPlanner.Plan([Job(1, JobPriority.High, 0, inFlight: 3)], capacity: 10, windowPerJob: 8));
    }

    [Fact]
    public void A_job_never_gets_more_than_it_has_pending()
    {
        var plan = PlanById([Job(1, JobPriority.Normal, 2)], capacity: 50, window: 50);

        Assert.Equal(2, plan[1]);
    }

    [Fact]
    public void With_a_batch_unit_a_small_job_gets_its_images_in_one_turn_instead_of_one_image_per_round()
    {
        var huge = Job(1, JobPriority.Normal, pending: 10_000, lastDispatchedMinute: 5);
        var small = Job(2, JobPriority.Normal, pending: 4, createdMinute: 6);

        Assert.Equal(new Dictionary<int, int> { [2] = 2, [1] = 2 }, PlanById([huge, small], capacity: 4, window: 32));
        var plan = FairDispatchPlanner.Plan([huge, small], capacity: 4, windowPerJob: 32, unit: 4);
        Assert.Equal([(small.JobId, 4)], plan);
    }

    [Fact]
    public void A_batch_unit_never_exceeds_capacity_window_or_pending()
    {
        var plan = FairDispatchPlanner.Plan([Job(1, JobPriority.Normal, 3), Job(2, JobPriority.Normal, 100, inFlight: 30)], capacity: 10, windowPerJob: 32, unit: 4);

        Assert.Equal([(new Guid(1, 0, 0, new byte[8]), 3), (new Guid(2, 0, 0, new byte[8]), 2)], plan);
    }

    [Fact]
    public void A_higher_priority_fills_the_target_whatever_lower_priorities_hold_in_flight()
    {
        var normal = Job(1, JobPriority.Normal, pending: 500, inFlight: 12, lastDispatchedMinute: 1);
        var urgent = Job(2, JobPriority.High, pending: 40, createdMinute: 2);

        var plan = FairDispatchPlanner.PlanRound([normal, urgent], target: 12, windowPerJob: 32, unit: 4, lane: 4);

        Assert.Equal([(urgent.JobId, 12)], plan);
    }

    [Fact]
    public void A_fresh_job_gets_one_turn_beyond_a_full_target_and_no_more_than_the_lane()
    {
        var huge = Job(1, JobPriority.Normal, pending: 10_000, inFlight: 12, lastDispatchedMinute: 1);
        var small = Job(2, JobPriority.Normal, pending: 4, createdMinute: 2);
        var other = Job(3, JobPriority.Normal, pending: 4, createdMinute: 3);

        Assert.Equal([(small.JobId, 4)], FairDispatchPlanner.PlanRound([huge, small, other], target: 12, windowPerJob: 32, unit: 4, lane: 4));
        Assert.Empty(FairDispatchPlanner.PlanRound([huge with { InFlight = 16 }, small with { InFlight = 4, Pending = 0 }, other], target: 12, windowPerJob: 32, unit: 4, lane: 4));
        Assert.Equal(8, FairDispatchPlanner.PlanRound([huge, small, other], target: 12, windowPerJob: 32, unit: 4, lane: 8).Sum(p => p.Count));
    }

    [Fact]
    public void A_large_target_is_refilled_in_rounds_of_a_quarter_of_it_but_a_fresh_job_goes_at_once()
    {
        var running = Job(1, JobPriority.Normal, pending: 10_000, inFlight: 200, lastDispatchedMinute: 1);

        Assert.Empty(FairDispatchPlanner.PlanRound([running], target: 256, windowPerJob: 1000, unit: 4, lane: 4));
        Assert.Equal([(running.JobId, 64)], FairDispatchPlanner.PlanRound([running with { InFlight = 192 }], target: 256, windowPerJob: 1000, unit: 4, lane: 4));

        var fresh = Job(2, JobPriority.Normal, pending: 4, createdMinute: 2);
        Assert.Equal([(fresh.JobId, 4)], FairDispatchPlanner.PlanRound([running, fresh], target: 256, windowPerJob: 1000, unit: 4, lane: 4));
    }

    [Fact]
    public void Saturated_studios_are_sent_images_in_proportion_to_their_shares()
    {
        var ledger = new StudioShareLedger();
        Guid? big = Guid.NewGuid(), small = Guid.NewGuid();
        var sent = new int[2];
        for (var round = 0; round < 30; round++)
        {
            var parts = ledger.Split("m", [(big, 2, 1000), (small, 1, 1000)], room: 12, unit: 4);
            sent[0] += parts[0];
            sent[1] += parts[1];
        }

        Assert.Equal(360, sent[0] + sent[1]);
        Assert.Equal(2.0, sent[0] / (double)sent[1], precision: 1);
    }

    [Fact]
    public void What_a_studio_cannot_use_goes_to_the_others_and_idling_earns_no_burst()
    {
        var ledger = new StudioShareLedger();
        Guid? a = Guid.NewGuid(), b = Guid.NewGuid();
        Assert.Equal([4, 56], ledger.Split("m", [(a, 1, 4), (b, 1, 100)], room: 60, unit: 4));

        for (var round = 0; round < 20; round++)
        {
            ledger.Split("m", [(a, 1, 0), (b, 1, 100)], room: 12, unit: 4);
        }

        // a was away while b was sent 240 images: from now on they take turns (a at most one batch ahead), a does not
        // get the next 240 first.
        var next = ledger.Split("m", [(a, 1, 1000), (b, 1, 1000)], room: 96, unit: 4);
        Assert.InRange(next[0] - next[1], 0, 8);
    }

    [Fact]
    public void A_studio_with_ten_thousand_images_does_not_starve_another_studios_ten()
    {
        var now = DateTimeOffset.UtcNow;
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        JobDemand[] demands =
        [
            .. Enumerable.Range(0, 20).Select(i => new JobDemand(Guid.NewGuid(), JobPriority.High, 500, 1, now.AddSeconds(-i), now, a, 1)),
            new JobDemand(Guid.NewGuid(), JobPriority.Low, 10, 0, null, now, b, 1),
        ];

        var plan = FairDispatchPlanner.PlanStudios(demands, target: 48, windowPerJob: 32, unit: 4, lane: 4, new StudioShareLedger(), "m");

        // 28 free: studio b's whole job, the rest to studio a; its high priority orders its own jobs, not the farm.
        var small = demands[^1].JobId;
        Assert.Equal(10, plan.Where(p => p.JobId == small).Sum(p => p.Count));
        Assert.Equal(18, plan.Where(p => p.JobId != small).Sum(p => p.Count));
    }
}
