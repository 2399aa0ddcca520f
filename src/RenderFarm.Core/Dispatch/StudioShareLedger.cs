namespace RenderFarm.Core.Dispatch;

/// <summary>
/// What each studio has been sent of each model, divided by its share: the dispatcher hands the next free room to the
/// studio furthest behind (start-time fair queueing over dispatched images). Dispatched images are rendered, so over
/// any stretch where studios are saturated their throughput splits by share — whatever the workers' queues hold.
/// </summary>
/// <remarks>Per coordinator replica; replicas dispatching the same model each keep the split on their own rounds.</remarks>
public sealed class StudioShareLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Pool, Guid? Studio), double> _served = [];
    private readonly Dictionary<string, double> _virtualTime = [];

    /// <summary>Splits <paramref name="room"/> images, <paramref name="unit"/> at a time, between the claimants.</summary>
    /// <param name="pool">The model (and labels) the room belongs to.</param>
    /// <returns>Each claimant's part, at most what it wants.</returns>
    public int[] Split(string pool, IReadOnlyList<(Guid? Studio, int Share, int Wants)> claimants, int room, int unit)
    {
        var parts = new int[claimants.Count];
        lock (_lock)
        {
            // A studio that had nothing to render comes back level with the others: idling earns no burst later.
            var now = _virtualTime.GetValueOrDefault(pool);
            foreach (var (studio, _, wants) in claimants)
            {
                if (wants > 0)
                {
                    _served[(pool, studio)] = Math.Max(now, _served.GetValueOrDefault((pool, studio)));
                }
            }

            while (room > 0)
            {
                var next = -1;
                for (var i = 0; i < claimants.Count; i++)
                {
                    if (parts[i] < claimants[i].Wants && (next < 0 || _served[(pool, claimants[i].Studio)] < _served[(pool, claimants[next].Studio)]))
                    {
                        next = i;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                var (studio, share, wants) = claimants[next];
                var give = Math.Min(Math.Min(unit, wants - parts[next]), room);
                _virtualTime[pool] = _served[(pool, studio)];
                _served[(pool, studio)] += (double)give / Math.Max(1, share);
                parts[next] += give;
                room -= give;
            }
        }

        return parts;
    }
}
