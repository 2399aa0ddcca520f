using RenderFarm.Contracts;
using RenderFarm.Worker.Consumers;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// The images this worker holds, from which the engine takes its next batch only when it is free to render it. Taking
/// late means a job that arrived while the engine was busy can go next: the next batch serves the studio furthest
/// behind its share (start-time fair queueing: each studio's clock advances by images / share), then the highest
/// priority, then a job at risk of missing its deadline (earliest first), then the job this worker served longest ago
/// (a new one first), so a small job behind a huge one waits for the batch in the engine only, and where the engine
/// stops between steps for one step of it (<see cref="TakeUrgentAsync"/>). The batch is filled with compatible images
/// (same model, size, steps, guidance), the lead job's first. A job's tail (<see cref="RenderImage.JobTail"/>: its
/// last images, a small job's only ones) is topped up only where the engine renders the fuller batch cheaper per image
/// (<see cref="EngineBatchTimes"/>): elsewhere that would only make the job's finish wait, and its images go alone. By
/// the same measure a partial batch waits up to the time limit for more images only where a full batch renders cheaper
/// per image.
/// </summary>
public sealed class RenderQueue(TimeProvider clock, EngineBatchTimes engineTimes) : IDisposable
{
    private const int RememberedJobs = 10_000;

    private static readonly TimeSpan UrgentSettle = TimeSpan.FromMilliseconds(10);

    private readonly Lock _lock = new();
    private readonly List<QueuedRender> _items = [];
    private readonly Dictionary<Guid, long> _lastServed = [];
    private readonly Dictionary<Guid, double> _studioClock = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private long _sequence;
    private long _turn;

    // The virtual time of the last batch: a studio that had nothing queued starts from here, not from where it left
    // off, so idling earns it no burst later.
    private double _virtualTime;

    /// <summary>Images held and not yet taken by the engine.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public QueuedRender Add(RenderImage message)
    {
        QueuedRender item;
        lock (_lock)
        {
            item = new QueuedRender(message, ++_sequence, clock.GetUtcNow());
            _items.Add(item);
        }

        _arrived.Release();
        return item;
    }

    /// <summary>
    /// Waits for the next batch: up to <paramref name="batchSize"/> compatible images, or fewer once the oldest of them
    /// has waited <paramref name="timeLimit"/>. Images of jobs <paramref name="skip"/> names are completed and dropped.
    /// </summary>
    public async Task<IReadOnlyList<QueuedRender>> TakeAsync(int batchSize, TimeSpan timeLimit, Func<RenderImage, bool> skip, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                DropSkipped(skip);
                if (_items.Count == 0)
                {
                    wait = Timeout.InfiniteTimeSpan;
                }
                else
                {
                    var (_, batch, complete) = Select(batchSize);
                    var waited = clock.GetUtcNow() - batch.Min(i => i.ArrivedAt);
                    if (complete || waited >= timeLimit)
                    {
                        Take(batch);
                        return batch;
                    }

                    wait = timeLimit - waited;
                }
            }

            await _arrived.WaitAsync(wait, cancellationToken);
        }
    }

    /// <summary>
    /// The next batch, taken now, where it should not wait for the batch in the engine to leave it: it leads with a
    /// small job (<see cref="RenderImage.JobTail"/>, of a job this worker has not served before: all it will get of the
    /// job is coming in this round), on <paramref name="runningModel"/> (another would load beside it). The lead is the
    /// one <see cref="TakeAsync"/> would take next, so fair share and priorities hold; the batch does not wait to be
    /// topped up. A big job's last images wait as before: letting every job's tail in cut the mean batch of eight
    /// workers finishing four jobs from 3.55-3.70 images to 2.96-3.57. Null when nothing is that urgent.
    /// </summary>
    /// <remarks>
    /// A round's messages arrive a few milliseconds apart, so a small job that has just begun to arrive is given the
    /// rest of <see cref="UrgentSettle"/> first: taking its first image alone would split the job over two batches,
    /// and returning empty-handed would make it wait a whole step more.
    /// </remarks>
    public async ValueTask<IReadOnlyList<QueuedRender>?> TakeUrgentAsync(int batchSize, string runningModel, Func<RenderImage, bool> skip, CancellationToken cancellationToken)
    {
        var settled = false;
        while (true)
        {
            TimeSpan settling;
            lock (_lock)
            {
                if (Urgent(batchSize, runningModel, skip) is not { } urgent)
                {
                    return null;
                }

                if (settled || urgent.Settling <= TimeSpan.Zero)
                {
                    Take(urgent.Batch, takesATurn: false);
                    return urgent.Batch;
                }

                settling = urgent.Settling;
            }

            await Task.Delay(settling, clock, cancellationToken);
            settled = true;
        }
    }

    public void Dispose() => _arrived.Dispose();

    private void DropSkipped(Func<RenderImage, bool> skip)
    {
        foreach (var item in _items.Where(i => i.IsAbandoned || skip(i.Message)).ToList())
        {
            _items.Remove(item);
            item.Complete();
        }
    }

    /// <returns>The image that leads the next batch, the batch, and whether it is complete: full, or not to be topped up.</returns>
    private (RenderImage Lead, List<QueuedRender> Batch, bool Complete) Select(int batchSize)
    {
        var lead = _items
            .OrderBy(i => StudioClock(i.Message))
            .ThenByDescending(i => i.Message.Priority)
            .ThenBy(i => i.Message.Deadline ?? DateTimeOffset.MaxValue)
            .ThenBy(i => _lastServed.GetValueOrDefault(i.Message.JobId))
            .ThenBy(i => i.Sequence)
            .First();
        var key = RenderImageBatchKey.Of(lead.Message);

        // A batch for a job at risk of its deadline is not topped up with images of jobs that are not.
        var batch = _items
            .Where(i => RenderImageBatchKey.Of(i.Message) == key && (lead.Message.Deadline is null || i.Message.Deadline is not null))
            .OrderBy(i => i.Message.JobId == lead.Message.JobId ? 0 : 1)
            .ThenBy(i => i.Sequence)
            .Take(batchSize)
            .ToList();
        var own = batch.Count(i => i.Message.JobId == lead.Message.JobId);
        if (lead.Message.JobTail && own < batch.Count && !engineTimes.ToppingUpPays(key, own, batch.Count))
        {
            return (lead.Message, batch[..own], true);
        }

        // A partial batch waits for more images only where a full one renders cheaper per image: where the engine's
        // time grows with the batch, waiting would idle it, and the images it waited for cost as much in the next batch
        // (measured: 8 workers of a 50 ms-per-image engine on two cores, scale-out efficiency 87-95 % with the wait,
        // median 90, and 94-96 % without).
        return (lead.Message, batch, batch.Count >= batchSize || !engineTimes.ToppingUpPays(key, batch.Count, batchSize));
    }

    /// <returns>The batch a small job leads (see <see cref="TakeUrgentAsync"/>), and how much longer its round may still be arriving; null if none.</returns>
    private (List<QueuedRender> Batch, TimeSpan Settling)? Urgent(int batchSize, string runningModel, Func<RenderImage, bool> skip)
    {
        DropSkipped(skip);
        if (_items.Count == 0)
        {
            return null;
        }

        var (lead, batch, _) = Select(batchSize);
        if (!lead.JobTail || _lastServed.ContainsKey(lead.JobId) || lead.Model != runningModel)
        {
            return null;
        }

        var newest = _items.Where(i => i.Message.JobId == lead.JobId).Max(i => i.ArrivedAt);
        return (batch, UrgentSettle - (clock.GetUtcNow() - newest));
    }

    /// <param name="takesATurn">
    /// False for a batch let in between another's steps (<see cref="TakeUrgentAsync"/>): its job still counts as never
    /// served here, so the rest of it, arriving late, goes first and may be let in too, instead of queueing behind the
    /// big job it cut in on as the job served last. Fair share between studios is charged all the same.
    /// </param>
    private void Take(List<QueuedRender> batch, bool takesATurn = true)
    {
        foreach (var item in batch)
        {
            _items.Remove(item);
        }

        if (takesATurn)
        {
            if (_lastServed.Count > RememberedJobs)
            {
                _lastServed.Clear();
            }

            _turn++;
            foreach (var jobId in batch.Select(i => i.Message.JobId).Distinct())
            {
                _lastServed[jobId] = _turn;
            }
        }

        _virtualTime = StudioClock(batch[0].Message);
        if (_studioClock.Count > RememberedJobs)
        {
            _studioClock.Clear();
        }

        foreach (var studio in batch.GroupBy(i => i.Message.StudioId ?? Guid.Empty))
        {
            _studioClock[studio.Key] = StudioClock(studio.First().Message) + ((double)studio.Count() / Math.Max(1, studio.First().Message.StudioShare));
        }
    }

    private double StudioClock(RenderImage message) => Math.Max(_virtualTime, _studioClock.GetValueOrDefault(message.StudioId ?? Guid.Empty));
}
