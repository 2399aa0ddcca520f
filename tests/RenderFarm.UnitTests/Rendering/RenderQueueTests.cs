using RenderFarm.Contracts;
using RenderFarm.Worker.Consumers;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class RenderQueueTests
{
    private static readonly Guid Huge = Guid.NewGuid();
    private static readonly Guid Small = Guid.NewGuid();

    private static RenderImage Image(Guid job, int index, int width = 64, int priority = 1) => new()
    {
        JobId = job, ImageId = Guid.NewGuid(), Index = index, Prompt = "p", Seed = index, Width = width, Height = 64, Steps = 2,
        Guidance = 0, Model = "m", Attempt = 1, ObjectKey = $"{job}/{index}", Priority = priority,
    };

    /// <summary>An engine that takes as long per image in a batch of four as in one of two.</summary>
    private static EngineBatchTimes LinearEngine()
    {
        var times = new EngineBatchTimes();
        times.Add(RenderImageBatchKey.Of(Image(Huge, 0)), 4, TimeSpan.FromMilliseconds(200));
        times.Add(RenderImageBatchKey.Of(Image(Huge, 0)), 2, TimeSpan.FromMilliseconds(100));
        return times;
    }

    /// <summary>An engine that renders a batch of four in little more than the time of one of two (a GPU with room to spare).</summary>
    private static EngineBatchTimes BatchingEngine()
    {
        var times = new EngineBatchTimes();
        times.Add(RenderImageBatchKey.Of(Image(Huge, 0)), 4, TimeSpan.FromMilliseconds(120));
        times.Add(RenderImageBatchKey.Of(Image(Huge, 0)), 2, TimeSpan.FromMilliseconds(100));
        return times;
    }

    private static Task<IReadOnlyList<QueuedRender>> Take(RenderQueue queue, Func<RenderImage, bool>? skip = null) =>
        queue.TakeAsync(4, TimeSpan.Zero, skip ?? (_ => false), CancellationToken.None);

    /// <summary>A queue of a huge job's images whose first batch is in the engine (model <c>m</c>).</summary>
    private static async Task<RenderQueue> WithBatchInEngine(ManualClock clock, int images)
    {
        var queue = new RenderQueue(clock, LinearEngine());
        for (var i = 0; i < images; i++)
        {
            queue.Add(Image(Huge, i) with { JobTail = i >= images - 2 });
        }

        await Take(queue);
        return queue;
    }

    private static ValueTask<IReadOnlyList<QueuedRender>?> TakeUrgent(RenderQueue queue, Func<RenderImage, bool>? skip = null) =>
        queue.TakeUrgentAsync(4, "m", skip ?? (_ => false), CancellationToken.None);

    [Fact]
    public async Task A_job_that_arrived_behind_another_goes_next_once_the_other_has_had_a_turn()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        for (var i = 0; i < 12; i++)
        {
            queue.Add(Image(Huge, i));
        }

        var first = await Take(queue);
        for (var i = 0; i < 4; i++)
        {
            queue.Add(Image(Small, i));
        }

        var second = await Take(queue);
        var third = await Take(queue);

        Assert.All(first, i => Assert.Equal(Huge, i.Message.JobId));
        Assert.All(second, i => Assert.Equal(Small, i.Message.JobId));
        Assert.Equal([4, 5, 6, 7], third.Select(i => i.Message.Index));
    }

    [Fact]
    public async Task Higher_priority_goes_first_and_batches_hold_only_compatible_images()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        queue.Add(Image(Huge, 0));
        queue.Add(Image(Huge, 1, width: 128));
        queue.Add(Image(Small, 0, priority: 2));
        queue.Add(Image(Huge, 2));

        var first = await Take(queue);
        var second = await Take(queue);

        Assert.Equal([(Small, 0), (Huge, 0), (Huge, 2)], first.Select(i => (i.Message.JobId, i.Message.Index)));
        Assert.Equal([(Huge, 1)], second.Select(i => (i.Message.JobId, i.Message.Index)));
    }

    [Fact]
    public async Task A_partial_batch_waits_for_more_images_until_the_time_limit()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        queue.Add(Image(Huge, 0));

        var taking = queue.TakeAsync(2, TimeSpan.FromMinutes(5), _ => false, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(taking.IsCompleted);
        queue.Add(Image(Huge, 1));

        Assert.Equal(2, (await taking.WaitAsync(TimeSpan.FromSeconds(10))).Count);
    }

    [Fact]
    public async Task A_partial_batch_renders_at_once_where_the_engine_takes_as_long_per_image_in_a_full_batch()
    {
        using var queue = new RenderQueue(TimeProvider.System, LinearEngine());
        queue.Add(Image(Huge, 0));
        queue.Add(Image(Huge, 1));

        var batch = await queue.TakeAsync(4, TimeSpan.FromMinutes(5), _ => false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0, 1], batch.Select(i => i.Message.Index));
    }

    [Fact]
    public async Task A_partial_batch_waits_where_the_engine_renders_a_full_batch_cheaper_per_image()
    {
        using var queue = new RenderQueue(TimeProvider.System, BatchingEngine());
        queue.Add(Image(Huge, 0));
        queue.Add(Image(Huge, 1));

        var taking = queue.TakeAsync(4, TimeSpan.FromMinutes(5), _ => false, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(taking.IsCompleted);
        queue.Add(Image(Huge, 2));
        queue.Add(Image(Huge, 3));

        Assert.Equal([0, 1, 2, 3], (await taking.WaitAsync(TimeSpan.FromSeconds(10))).Select(i => i.Message.Index));
    }

    [Fact]
    public async Task Skipped_and_abandoned_images_are_completed_without_being_taken()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        var cancelled = queue.Add(Image(Small, 0));
        var abandoned = queue.Add(Image(Huge, 0));
        abandoned.Abandon();
        var kept = queue.Add(Image(Huge, 1));

        var batch = await Take(queue, skip: m => m.JobId == Small);

        Assert.Equal([kept], batch);
        Assert.True(cancelled.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Studios_are_served_in_proportion_to_their_shares_before_priorities()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        var big = Guid.NewGuid();
        var small = Guid.NewGuid();
        for (var i = 0; i < 400; i++)
        {
            // The share-1 studio even asks for high priority: priorities order a studio's own jobs, not the farm.
            queue.Add(Image(Huge, i) with { StudioId = big, StudioShare = 2 });
            queue.Add(Image(Small, i, priority: 2) with { StudioId = small, StudioShare = 1 });
        }

        var served = new Dictionary<Guid, int> { [big] = 0, [small] = 0 };
        for (var batch = 0; batch < 60; batch++)
        {
            foreach (var item in await Take(queue))
            {
                served[item.Message.StudioId!.Value]++;
            }
        }

        Assert.Equal(240, served[big] + served[small]);
        Assert.InRange(served[big] / (double)served[small], 1.9, 2.1);
    }

    [Fact]
    public async Task A_studio_that_was_idle_gets_its_share_from_now_on_not_a_burst_for_the_time_it_was_away()
    {
        using var queue = new RenderQueue(TimeProvider.System, new EngineBatchTimes());
        var busy = Guid.NewGuid();
        var late = Guid.NewGuid();
        for (var i = 0; i < 200; i++)
        {
            queue.Add(Image(Huge, i) with { StudioId = busy });
        }

        for (var batch = 0; batch < 20; batch++)
        {
            await Take(queue);
        }

        for (var i = 0; i < 100; i++)
        {
            queue.Add(Image(Small, i) with { StudioId = late });
        }

        var next = new List<Guid>();
        for (var batch = 0; batch < 10; batch++)
        {
            next.Add((await Take(queue))[0].Message.StudioId!.Value);
        }

        Assert.InRange(next.Count(s => s == late), 4, 6);
    }

    [Fact]
    public async Task A_small_job_goes_alone_and_at_once_where_the_engine_takes_as_long_per_image_in_a_full_batch()
    {
        using var queue = new RenderQueue(TimeProvider.System, LinearEngine());
        for (var i = 0; i < 12; i++)
        {
            queue.Add(Image(Huge, i));
        }

        await Take(queue);
        queue.Add(Image(Small, 0) with { JobTail = true });
        queue.Add(Image(Small, 1) with { JobTail = true });

        // Not held back for the time limit either: the engine has other work, and two images go through in half a batch time.
        var small = await queue.TakeAsync(4, TimeSpan.FromMinutes(5), _ => false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var next = await Take(queue);

        Assert.Equal([(Small, 0), (Small, 1)], small.Select(i => (i.Message.JobId, i.Message.Index)));
        Assert.Equal([4, 5, 6, 7], next.Select(i => i.Message.Index));
    }

    [Fact]
    public async Task A_small_job_is_topped_up_where_the_engine_renders_a_full_batch_cheaper_per_image()
    {
        using var queue = new RenderQueue(TimeProvider.System, BatchingEngine());
        for (var i = 0; i < 12; i++)
        {
            queue.Add(Image(Huge, i));
        }

        await Take(queue);
        queue.Add(Image(Small, 0) with { JobTail = true });
        queue.Add(Image(Small, 1) with { JobTail = true });

        var small = await Take(queue);

        Assert.Equal([(Small, 0), (Small, 1), (Huge, 4), (Huge, 5)], small.Select(i => (i.Message.JobId, i.Message.Index)));
    }

    [Fact]
    public async Task Jobs_with_more_to_come_still_top_each_other_up_whatever_the_engine()
    {
        // Big jobs taking turns hold a few images each on a worker: their batches stay full, as a batch fewer saves the
        // farm a report, and finishing a few of a big job's images sooner does not bring its end any closer.
        using var queue = new RenderQueue(TimeProvider.System, LinearEngine());
        for (var i = 0; i < 3; i++)
        {
            queue.Add(Image(Huge, i));
            queue.Add(Image(Small, i));
        }

        var first = await Take(queue);

        Assert.Equal([(Huge, 0), (Huge, 1), (Huge, 2), (Small, 0)], first.Select(i => (i.Message.JobId, i.Message.Index)));
    }

    [Fact]
    public async Task A_small_job_is_taken_between_the_steps_of_a_batch_of_another_job_once_its_images_have_arrived()
    {
        var clock = new ManualClock();
        using var queue = await WithBatchInEngine(clock, 12);
        Assert.Null(await TakeUrgent(queue));

        queue.Add(Image(Small, 0) with { JobTail = true });
        clock.Advance(TimeSpan.FromMilliseconds(5));
        queue.Add(Image(Small, 1) with { JobTail = true });

        // Its round's messages may still be coming: it is given a moment to arrive rather than taken at once.
        var taking = TakeUrgent(queue);
        Assert.False(taking.IsCompleted);
        var urgent = await taking;

        Assert.Equal([(Small, 0), (Small, 1)], urgent!.Select(i => (i.Message.JobId, i.Message.Index)));
        Assert.Equal(8, queue.Count);
        Assert.Null(await TakeUrgent(queue));
    }

    [Fact]
    public async Task A_big_jobs_tail_another_model_or_a_job_that_goes_first_waits_for_the_batch_in_the_engine()
    {
        var clock = new ManualClock();
        using var queue = await WithBatchInEngine(clock, 6);
        clock.Advance(TimeSpan.FromSeconds(1));

        // A job this worker has served before: letting every job's last images in would split batches as jobs end.
        Assert.Null(await TakeUrgent(queue));
        await Take(queue);

        // Another model would load beside the one in the engine.
        queue.Add(Image(Small, 0) with { JobTail = true, Model = "other" });
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await TakeUrgent(queue));
        await Take(queue);

        // The next batch leads with a job that has more to come (higher priority), not with the small job.
        var small = Guid.NewGuid();
        queue.Add(Image(small, 0) with { JobTail = true });
        queue.Add(Image(Guid.NewGuid(), 0, priority: 2));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await TakeUrgent(queue));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task A_skipped_small_job_is_dropped_not_taken_between_steps()
    {
        var clock = new ManualClock();
        using var queue = await WithBatchInEngine(clock, 8);
        queue.Add(Image(Small, 0) with { JobTail = true });
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await TakeUrgent(queue, m => m.JobId == Small));
        Assert.Equal(4, queue.Count);
    }

    [Fact]
    public async Task The_rest_of_a_small_job_let_in_between_steps_goes_first_too_when_it_arrives_late()
    {
        var clock = new ManualClock();
        using var queue = await WithBatchInEngine(clock, 12);
        queue.Add(Image(Small, 0) with { JobTail = true });
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var first = await TakeUrgent(queue);

        queue.Add(Image(Small, 1) with { JobTail = true });
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var second = await TakeUrgent(queue);

        queue.Add(Image(Small, 2) with { JobTail = true });
        var next = await Take(queue);

        Assert.Equal([(Small, 0)], first!.Select(i => (i.Message.JobId, i.Message.Index)));
        Assert.Equal([(Small, 1)], second!.Select(i => (i.Message.JobId, i.Message.Index)));
        Assert.Equal([(Small, 2)], next.Select(i => (i.Message.JobId, i.Message.Index)));
    }
}
