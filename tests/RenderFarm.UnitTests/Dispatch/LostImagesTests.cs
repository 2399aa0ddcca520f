using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Workers;

namespace RenderFarm.UnitTests.Dispatch;

public sealed class LostImagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(12);
    private static readonly Guid Image = Guid.NewGuid();

    /// <summary>Dispatched 20 s ago; the worker's last heartbeat is 2 s old.</summary>
    private static DispatchedImage Dispatched(double secondsAgo = 20, string model = "m") => new(Image, model, Now.AddSeconds(-secondsAgo));

    private static WorkerRecord Worker(string model = "m", int holding = 0, int capacity = 12, double reportedSecondsAgo = 2, string state = WorkerStates.Active, params Guid[] held) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Models = [model],
        State = state,
        Holding = [.. held, .. Enumerable.Range(0, holding).Select(_ => Guid.NewGuid())],
        HoldingCapacity = capacity,
        HoldingReportedAt = Now.AddSeconds(-reportedSecondsAgo),
    };

    [Fact]
    public void An_image_no_worker_holds_while_every_worker_of_its_model_has_room_is_lost() =>
        Assert.Equal([Image], LostImages.Find([Dispatched()], [Worker(holding: 3), Worker(holding: 0)], Now, LostAfter));

    [Fact]
    public void An_image_a_live_worker_holds_is_not_lost() =>
        Assert.Empty(LostImages.Find([Dispatched()], [Worker(holding: 3), Worker(model: "other", held: Image)], Now, LostAfter));

    [Fact]
    public void An_image_may_wait_on_the_broker_while_a_worker_of_its_model_is_full() =>
        Assert.Empty(LostImages.Find([Dispatched()], [Worker(holding: 0), Worker(holding: 12, capacity: 12)], Now, LostAfter));

    [Fact]
    public void A_recent_dispatch_is_not_lost_yet() =>
        Assert.Empty(LostImages.Find([Dispatched(secondsAgo: 11)], [Worker()], Now, LostAfter));

    [Fact]
    public void A_heartbeat_too_soon_after_the_dispatch_says_nothing_about_it() =>
        // Reported 15 s ago, 5 s after a dispatch 20 s ago: the message may not have arrived yet (half of LostAfter is 6 s).
        Assert.Empty(LostImages.Find([Dispatched()], [Worker(reportedSecondsAgo: 15)], Now, LostAfter));

    [Fact]
    public void With_no_active_worker_for_the_model_its_messages_wait_for_the_next_one() =>
        Assert.Empty(LostImages.Find([Dispatched()], [Worker(model: "other"), Worker(state: WorkerStates.Draining)], Now, LostAfter));

    [Fact]
    public void A_draining_worker_does_not_count_among_the_workers_that_must_have_room() =>
        Assert.Equal([Image], LostImages.Find([Dispatched()], [Worker(), Worker(holding: 12, capacity: 12, state: WorkerStates.Draining)], Now, LostAfter));

    [Fact]
    public void A_worker_that_does_not_report_what_it_holds_never_makes_an_image_lost() =>
        Assert.Empty(LostImages.Find([Dispatched()], [Worker(capacity: 0)], Now, LostAfter));
}
